package io.luagate.kernel.rule.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** The DN and date formats of ssl_c_s_dn, ssl_c_i_dn and ssl_c_notafter, as HAProxy 2.6.12 printed them. */
class DistinguishedNamesTest {

    // openssl req -subj "/C=DE/ST=Berlin/O=Client, Inc./OU=Dev/CN=client one/emailAddress=a@b.c"
    private static final X500Principal CLIENT = new X500Principal(
            "EMAILADDRESS=a@b.c, CN=client one, OU=Dev, O=\"Client, Inc.\", ST=Berlin, C=DE");

    @Test
    void oneLineInTheCertificatesOrderWithOpenSslShortNames() {
        // HAProxy 2.6.12: %[ssl_c_s_dn] for that certificate.
        assertEquals("/C=DE/ST=Berlin/O=Client, Inc./OU=Dev/CN=client one/emailAddress=a@b.c",
                DistinguishedNames.oneLine(CLIENT));
        assertEquals("/C=FR/O=Test Org/CN=Test CA",
                DistinguishedNames.oneLine(new X500Principal("CN=Test CA, O=Test Org, C=FR")));
    }

    @Test
    void oneEntryByOccurrence() {
        X500Principal two = new X500Principal("CN=second, OU=b, OU=a, C=DE");
        assertEquals("a", DistinguishedNames.entry(two, "OU", 1));
        assertEquals("b", DistinguishedNames.entry(two, "OU", 2));
        assertEquals("b", DistinguishedNames.entry(two, "OU", -1));
        assertEquals("a", DistinguishedNames.entry(two, "OU", -2));
        assertNull(DistinguishedNames.entry(two, "OU", 3));
        assertEquals("a@b.c", DistinguishedNames.entry(CLIENT, "emailAddress", 1));
        assertNull(DistinguishedNames.entry(two, "L", 1));
    }

    @Test
    void rfc2253() {
        // HAProxy 2.6.12: %[ssl_c_s_dn(,0,rfc2253)] for subject /C=DE/OU=first/OU=second/CN=two ous.
        assertEquals("CN=two ous,OU=second,OU=first,C=DE",
                DistinguishedNames.rfc2253(new X500Principal("CN=two ous, OU=second, OU=first, C=DE")));
        assertEquals("emailAddress=a@b.c,CN=client one,OU=Dev,O=Client\\, Inc.,ST=Berlin,C=DE",
                DistinguishedNames.rfc2253(CLIENT));
    }

    @Test
    void notAfterAsAsn1Time() {
        // HAProxy 2.6.12 printed 270105203515Z for a certificate valid until 2027-01-05 20:35:15 UTC.
        assertEquals("270105203515Z", TlsFetches.asn1Time(ZonedDateTime.of(2027, 1, 5, 20, 35, 15, 0, ZoneOffset.UTC)));
        assertEquals("20500101000000Z", TlsFetches.asn1Time(ZonedDateTime.of(2050, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
    }
}
