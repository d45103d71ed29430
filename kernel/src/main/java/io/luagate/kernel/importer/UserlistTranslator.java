package io.luagate.kernel.importer;

import io.luagate.kernel.config.NameCharacters;

/**
 * The lines of one {@code userlist <name>} section: {@code user <name> [password <hash> |
 * insecure-password <password>] [groups <g>,<g>...]} and {@code group <name> [users <u>,<u>...]},
 * into {@code userlists.<name> { users { ... }, groups { ... } }}.
 */
final class UserlistTranslator {

    private final HoconObject list;
    private final Notes notes;

    UserlistTranslator(HoconObject list, Notes notes) {
        this.list = list;
        this.notes = notes;
    }

    void apply(ConfigLine line) {
        String c = line.where();
        switch (line.keyword()) {
            case "group" -> group(line, c);
            case "user" -> user(line, c);
            default -> notes.unsupported(line, line.keyword(), "a userlist holds user and group lines", list);
        }
    }

    private void group(ConfigLine line, String c) {
        if (line.size() != 2 && !(line.size() == 4 && line.word(2).equals("users"))) {
            notes.unsupported(line, "group", "expects group <name> [users <user>,<user>...]", list);
            return;
        }
        String badName = NameCharacters.problem("group", line.word(1));
        if (badName != null) {
            notes.unsupported(line, "group", badName + ", as HAProxy refuses it", list);
            return;
        }
        HoconObject.HoconList users = list.object("groups").list(line.word(1));
        if (line.size() == 4) {
            for (String user : line.word(3).split(",")) {
                if (!user.isEmpty()) {
                    users.add(user, c);
                }
            }
        }
    }

    private void user(ConfigLine line, String c) {
        if (line.size() < 2) {
            notes.unsupported(line, "user", "expects user <name> [password|insecure-password <p>] [groups <g>,...]", list);
            return;
        }
        HoconObject user = new HoconObject();
        for (int i = 2; i < line.size(); i += 2) {
            String option = line.word(i);
            String value = line.word(i + 1);
            if (value == null || !(option.equals("password") || option.equals("insecure-password") || option.equals("groups"))) {
                notes.unsupported(line, "user " + option, "expects password, insecure-password or groups with a value", list);
                return;
            }
            if (option.equals("groups")) {
                HoconObject.HoconList groups = user.list("groups");
                for (String group : value.split(",")) {
                    if (!group.isEmpty()) {
                        groups.add(group, c);
                    }
                }
            } else {
                user.set(option, value, c);
            }
        }
        list.object("users").set(line.word(1), user, c);
    }
}
