package io.luagate.spi.sample;

/**
 * HAProxy's sample types ({@code SMP_T_*}) with the names its messages use ({@code smp_to_type}):
 * what a converter declares as its input, to which HAProxy casts the sample before converting.
 */
public enum SampleType {
    ANY("any"), BOOL("bool"), SINT("sint"), ADDR("addr"), IPV4("ipv4"), IPV6("ipv6"), STR("str"), BIN("bin"),
    METH("meth");

    private final String text;

    SampleType(String text) {
        this.text = text;
    }

    /** The name HAProxy's messages give the type. */
    public String text() {
        return text;
    }
}
