package io.luagate.kernel.rule.fetch;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate's subject or issuer as HAProxy prints it: {@code /C=FR/O=Org/CN=name}, the
 * entries in the certificate's order with OpenSSL's short names (HAProxy's
 * {@code ssl_sock_get_dn_oneline}), one entry of it, or the name in RFC 2253 form.
 */
final class DistinguishedNames {

    /** OpenSSL's short names for the attribute types the JDK prints as OIDs. */
    private static final Map<String, String> SHORT_NAMES = Map.ofEntries(
            Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
            Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.4", "SN"),
            Map.entry("2.5.4.42", "GN"),
            Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.43", "initials"),
            Map.entry("2.5.4.44", "generationQualifier"),
            Map.entry("2.5.4.46", "dnQualifier"),
            Map.entry("2.5.4.65", "pseudonym"),
            Map.entry("2.5.4.13", "description"),
            Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.15", "businessCategory"),
            Map.entry("2.5.4.41", "name"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"));

    private DistinguishedNames() {
    }

    /** One type=value pair of a name, in the certificate's order. */
    private record Entry(String type, String value) {
    }

    static String oneLine(X500Principal name) {
        StringBuilder out = new StringBuilder();
        for (Entry entry : entries(name)) {
            out.append('/').append(entry.type()).append('=').append(entry.value());
        }
        return out.toString();
    }

    static String rfc2253(X500Principal name) {
        return name.getName(X500Principal.RFC2253, SHORT_NAMES).replace("STREET=", "street=");
    }

    /**
     * The value of entry {@code type} (a short name, {@code CN}): {@code occurrence} 1 is the first,
     * -1 the last; {@code null} when there is no such entry.
     */
    static String entry(X500Principal name, String type, int occurrence) {
        List<Entry> entries = entries(name);
        int seen = 0;
        if (occurrence > 0) {
            for (Entry entry : entries) {
                if (entry.type().equals(type) && ++seen == occurrence) {
                    return entry.value();
                }
            }
        } else {
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i).type().equals(type) && --seen == occurrence) {
                    return entries.get(i).value();
                }
            }
        }
        return null;
    }

    private static List<Entry> entries(X500Principal name) {
        List<Entry> entries = new ArrayList<>();
        try {
            // An LdapName lists the RDNs right to left: index 0 is the certificate's first.
            for (Rdn rdn : new LdapName(name.getName(X500Principal.RFC2253, SHORT_NAMES)).getRdns()) {
                NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
                while (attributes.hasMore()) {
                    Attribute attribute = attributes.next();
                    entries.add(new Entry(shortName(attribute.getID()), text(attribute.get())));
                }
            }
        } catch (InvalidNameException e) {
            throw new IllegalStateException("the JDK printed a name it cannot read back: " + name, e);
        } catch (NamingException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }

    private static String shortName(String type) {
        return type.equals("STREET") ? "street" : type;
    }

    /** A value the JDK could not decode as a string stays as its DER bytes: shown in hex, as {@code #...}. */
    private static String text(Object value) {
        return value instanceof byte[] bytes ? "#" + HexFormat.of().formatHex(bytes) : String.valueOf(value);
    }
}
