package io.luagate.plugin.admin;

import io.luagate.spi.pattern.PatternEntry;
import io.luagate.spi.pattern.PatternFile;
import io.luagate.spi.pattern.PatternFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API's map and ACL resources (HAProxy's {@code show/add/set/del/clear map} and {@code acl}),
 * over the map and ACL files of the generation serving now. A file is named as in the rules, its
 * {@code /} written {@code %2F} in the path.
 */
final class PatternResources {

    /** The kernel's files of the generation current at each call (the extension lives for the process). */
    private final PatternFiles files;

    PatternResources(PatternFiles files) {
        this.files = files;
    }

    private PatternFiles patterns() {
        return files;
    }

    /**
     * {@code /maps}: the loaded map files ({@code show map}); {@code /maps/{file}/entries}: their
     * entries ({@code show map <file>}), one appended ({@code add map}, POST), all removed
     * ({@code clear map}, DELETE); {@code /maps/{file}/entries/{key}}: set ({@code set map}, or
     * added when absent; PUT) or removed ({@code del map}; DELETE).
     */
    ApiAnswer maps(ApiRequest request, String method, List<String> path) {
        if (path.size() == 1) {
            AdminApi.allow(method, "GET");
            return ApiAnswer.ok(Map.of("maps", files(true)));
        }
        if (path.size() < 3 || path.size() > 4 || !path.get(2).equals("entries")) {
            throw ApiException.notFound("no such resource: /api/v1/" + String.join("/", path)
                    + " (map entries are /api/v1/maps/{file}/entries[/{key}], the file's '/' written %2F)");
        }
        String file = path.get(1);
        try {
            if (path.size() == 3) {
                AdminApi.allow(method, "GET", "POST", "DELETE");
                switch (method) {
                    case "GET" -> {
                        return ApiAnswer.ok(Map.of("entries", entries(file, true)));
                    }
                    case "POST" -> {
                        request.onlyFields(Set.of("key", "value"));
                        String key = request.required("key");
                        String value = request.required("value");
                        patterns().append(file, key, value);
                        return new ApiAnswer(201, Map.of("map", file, "key", key, "value", value),
                                "/api/v1/maps/" + Paths.segment(file) + "/entries/" + Paths.segment(key));
                    }
                    default -> {
                        patterns().clear(file);
                        return ApiAnswer.noContent();
                    }
                }
            }
            AdminApi.allow(method, "PUT", "DELETE");
            String key = path.get(3);
            if (method.equals("PUT")) {
                request.onlyFields(Set.of("value"));
                String value = request.required("value");
                patterns().setMap(file, key, value);
                return ApiAnswer.ok(Map.of("map", file, "key", key, "value", value));
            }
            if (!patterns().remove(file, key)) {
                throw ApiException.notFound("no entry \"" + key + "\" in " + file);
            }
            return ApiAnswer.noContent();
        } catch (IllegalArgumentException e) {
            throw patternRefusal(e);
        }
    }

    /**
     * {@code /acls}: the loaded ACL files ({@code show acl}); {@code /acls/{file}/entries}: their
     * patterns (GET), one added ({@code add acl}, POST), all removed ({@code clear acl}, DELETE);
     * {@code /acls/{file}/entries/{pattern}}: removed ({@code del acl}, DELETE).
     */
    ApiAnswer acls(ApiRequest request, String method, List<String> path) {
        if (path.size() == 1) {
            AdminApi.allow(method, "GET");
            return ApiAnswer.ok(Map.of("acls", files(false)));
        }
        if (path.size() < 3 || path.size() > 4 || !path.get(2).equals("entries")) {
            throw ApiException.notFound("no such resource: /api/v1/" + String.join("/", path)
                    + " (ACL entries are /api/v1/acls/{file}/entries[/{pattern}], the file's '/' written %2F)");
        }
        String file = path.get(1);
        try {
            if (path.size() == 3) {
                AdminApi.allow(method, "GET", "POST", "DELETE");
                switch (method) {
                    case "GET" -> {
                        return ApiAnswer.ok(Map.of("entries", entries(file, false)));
                    }
                    case "POST" -> {
                        request.onlyFields(Set.of("pattern"));
                        String pattern = request.required("pattern");
                        patterns().addAcl(file, pattern);
                        return new ApiAnswer(201, Map.of("acl", file, "pattern", pattern),
                                "/api/v1/acls/" + Paths.segment(file) + "/entries/" + Paths.segment(pattern));
                    }
                    default -> {
                        patterns().clear(file);
                        return ApiAnswer.noContent();
                    }
                }
            }
            AdminApi.allow(method, "DELETE");
            if (!patterns().remove(file, path.get(3))) {
                throw ApiException.notFound("no pattern \"" + path.get(3) + "\" in " + file);
            }
            return ApiAnswer.noContent();
        } catch (IllegalArgumentException e) {
            throw patternRefusal(e);
        }
    }

    /** The loaded map ({@code maps}) or ACL files, with HAProxy's ids. */
    private List<Object> files(boolean maps) {
        List<Object> files = new ArrayList<>();
        for (PatternFile file : patterns().files()) {
            if (file.map() == maps) {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("id", file.id());
                view.put("file", file.file());
                view.put("entries", file.size());
                files.add(view);
            }
        }
        return files;
    }

    /** The entries of one file, with their HAProxy reference; a map file's only through /maps, an ACL's through /acls. */
    private List<Object> entries(String file, boolean map) {
        for (PatternFile known : patterns().files()) {
            if (known.file().equals(file) && known.map() != map) {
                throw ApiException.notFound("'" + file + "' is " + (map ? "an ACL" : "a map") + " file: see /api/v1/"
                        + (map ? "acls" : "maps"));
            }
        }
        List<Object> entries = new ArrayList<>();
        for (PatternEntry entry : patterns().entries(file)) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("ref", "0x" + Long.toHexString(entry.ref()));
            view.put(map ? "key" : "pattern", entry.key());
            if (map) {
                view.put("value", entry.value());
            }
            entries.add(view);
        }
        return entries;
    }

    /** A file the configuration did not load is not found; anything else was a bad request. */
    private static ApiException patternRefusal(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "refused" : e.getMessage();
        return message.contains("loaded by the configuration") ? ApiException.notFound(message) : ApiException.badRequest(message);
    }
}
