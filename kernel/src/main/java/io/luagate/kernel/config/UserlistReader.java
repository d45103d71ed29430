package io.luagate.kernel.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code userlists { <name> { users { <user> { password | insecure-password, groups } },
 * groups { <group> = [ users ] } } }}: HAProxy's {@code userlist} sections. Whether a password
 * hash can be checked is decided when the rules that use the list are compiled.
 */
final class UserlistReader {

    private final Problems problems;

    UserlistReader(Problems problems) {
        this.problems = problems;
    }

    Map<String, Settings.Userlist> read(Section root) {
        Map<String, Settings.Userlist> lists = new LinkedHashMap<>();
        if (!root.has("userlists")) {
            return lists;
        }
        root.named("userlists").forEach((name, value) -> {
            String path = "userlists." + name;
            String badName = NameCharacters.problem("userlist", name);
            if (badName != null) {
                problems.add(value.origin(), path, badName);
            }
            if (value.valueType() != ConfigValueType.OBJECT) {
                problems.add(value.origin(), path, "must be an object { users { ... }, groups { ... } }");
                return;
            }
            Section list = new Section(((ConfigObject) value).toConfig(), path, problems);
            Map<String, Settings.User> users = new LinkedHashMap<>();
            list.named("users").forEach((user, entry) -> {
                Settings.User read = user(path + ".users." + user, user, entry);
                if (read != null) {
                    users.put(user, read);
                }
            });
            Map<String, List<String>> groups = new LinkedHashMap<>();
            list.named("groups").forEach((group, entry) -> {
                String badGroup = NameCharacters.problem("group", group);
                if (badGroup != null) {
                    problems.add(entry.origin(), path + ".groups." + group, badGroup);
                }
                List<String> members = strings(entry, path + ".groups." + group);
                for (String member : members) {
                    if (!users.containsKey(member)) {
                        problems.add(entry.origin(), path + ".groups." + group, "no user named '" + member + "' in this userlist");
                    }
                }
                groups.put(group, members);
            });
            for (Settings.User user : users.values()) {
                for (String group : user.groups()) {
                    if (!groups.containsKey(group)) {
                        problems.add(new ConfigProblem(user.origin(), path + ".users." + user.name() + ".groups",
                                "no group named '" + group + "' in this userlist"));
                    }
                }
            }
            list.finish();
            lists.put(name, new Settings.Userlist(name, Collections.unmodifiableMap(users),
                    Collections.unmodifiableMap(groups), ConfigProblem.describe(value.origin())));
        });
        return Collections.unmodifiableMap(lists);
    }

    private Settings.User user(String path, String name, ConfigValue value) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            problems.add(value.origin(), path, "must be an object { password = \"<crypt hash>\" } or { insecure-password = \"...\" }");
            return null;
        }
        Section user = new Section(((ConfigObject) value).toConfig(), path, problems);
        String hash = user.optionalString("password");
        String clear = user.optionalString("insecure-password");
        List<String> groups = user.has("groups") ? strings(user.value("groups"), path + ".groups") : List.of();
        user.finish();
        if (hash != null && clear != null) {
            problems.add(value.origin(), path, "takes password or insecure-password, not both");
            return null;
        }
        String where = ConfigProblem.describe(value.origin());
        // HAProxy: a user without a password never authenticates.
        return new Settings.User(name, clear != null ? clear : hash, clear != null, groups, where);
    }

    private List<String> strings(ConfigValue value, String path) {
        List<String> out = new ArrayList<>();
        List<ConfigValue> entries = value.valueType() == ConfigValueType.LIST ? (ConfigList) value : List.of(value);
        for (ConfigValue entry : entries) {
            if (entry.valueType() != ConfigValueType.STRING) {
                problems.add(entry.origin(), path, "must be a list of names");
            } else {
                out.add((String) entry.unwrapped());
            }
        }
        return List.copyOf(out);
    }
}
