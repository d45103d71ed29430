package io.luagate.spi.tls;

import java.util.List;

/**
 * What {@link TlsTerminator#reloadCertificates()} did.
 *
 * @param binds    how many TLS binds there are
 * @param reloaded how many of them now serve certificates loaded just now
 * @param problems one line per bind that could not be loaded ({@code "where: why"}); such a bind
 *                 keeps the certificates it served
 */
public record CertificateReload(int binds, int reloaded, List<String> problems) {

    public CertificateReload {
        problems = List.copyOf(problems);
    }
}
