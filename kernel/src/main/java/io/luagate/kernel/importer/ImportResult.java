package io.luagate.kernel.importer;

import java.util.List;

/**
 * What {@link HaproxyImporter#translate} produced.
 *
 * @param hocon       luagate's configuration; untranslated lines are in it as comments
 * @param unsupported one {@code file:line: keyword: not supported} line per untranslated line
 */
public record ImportResult(String hocon, List<String> unsupported) {

    public ImportResult {
        unsupported = List.copyOf(unsupported);
    }
}
