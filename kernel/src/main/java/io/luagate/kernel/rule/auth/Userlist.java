package io.luagate.kernel.rule.auth;

import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A userlist, compiled: each user's password check and groups (those its own line names and
 * those whose {@code users} name it). Immutable; shared by every event loop.
 */
public final class Userlist {

    private record User(String password, boolean insecure, Set<String> groups) {
    }

    private final String name;
    private final Map<String, User> users;
    private final Set<String> groups;

    private Userlist(String name, Map<String, User> users, Set<String> groups) {
        this.name = name;
        this.users = users;
        this.groups = groups;
    }

    /** Compiles {@code list}; a password hash of a kind that cannot be checked is a problem naming the user. */
    public static Userlist compile(Settings.Userlist list, Problems problems) {
        Map<String, Set<String>> memberOf = new HashMap<>();
        list.groups().forEach((group, members) -> members.forEach(
                user -> memberOf.computeIfAbsent(user, u -> new HashSet<>()).add(group)));
        Map<String, User> users = new HashMap<>();
        for (Settings.User user : list.users().values()) {
            if (user.password() != null && !user.insecure() && !Crypt.supports(user.password())) {
                problems.add(new ConfigProblem(user.origin(), "userlists." + list.name() + ".users." + user.name() + ".password",
                        "this kind of crypt(3) hash cannot be checked here: use a SHA-512 ($6$), SHA-256 ($5$) or "
                                + "MD5 ($1$) crypt hash (openssl passwd -6), or insecure-password"));
            }
            Set<String> groups = new HashSet<>(user.groups());
            groups.addAll(memberOf.getOrDefault(user.name(), Set.of()));
            users.put(user.name(), new User(user.password(), user.insecure(), Set.copyOf(groups)));
        }
        return new Userlist(list.name(), Map.copyOf(users), Set.copyOf(list.groups().keySet()));
    }

    public String name() {
        return name;
    }

    /** Whether the list declares {@code group}. */
    public boolean hasGroup(String group) {
        return groups.contains(group);
    }

    /** Whether {@code user} and {@code password} are valid here (HAProxy's check_user). */
    public boolean check(String user, String password) {
        User entry = users.get(user);
        if (entry == null || entry.password() == null) {
            return false;
        }
        if (entry.insecure()) {
            return MessageDigest.isEqual(entry.password().getBytes(StandardCharsets.UTF_8),
                    password.getBytes(StandardCharsets.UTF_8));
        }
        return Crypt.matches(password, entry.password());
    }

    /** Whether {@code user} belongs to {@code group}. */
    public boolean inGroup(String user, String group) {
        User entry = users.get(user);
        return entry != null && entry.groups().contains(group);
    }
}
