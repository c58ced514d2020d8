package org.campusedge.sync.wire;

import java.util.Arrays;
import java.util.HashSet;

/**
 * The field names seen so far in each JSON object a walk is inside, innermost last, to refuse a
 * name given twice in one object (RFC 8259 section 4 leaves duplicates to the implementation; the
 * sync protocol refuses them). Does what Jackson's {@code STRICT_DUPLICATE_DETECTION} does, with
 * less work per field: a small reusable array per nesting level searched linearly (Jackson
 * canonicalises field names, so a repeated name is usually the same instance and its hash is
 * cached), and a {@link HashSet} only for an object with more than {@value #LINEAR} fields.
 *
 * <p>Not thread-safe: one instance per decode.
 */
final class FieldNames {

    /** Beyond this many fields in one object a set is cheaper than the linear search. */
    static final int LINEAR = 16;

    private Level[] levels = new Level[8];
    /** Index of the innermost open object's level; -1 outside any object. */
    private int top = -1;

    /** Enters an object. */
    void push() {
        if (++top == levels.length) {
            levels = Arrays.copyOf(levels, levels.length * 2);
        }
        Level level = levels[top];
        if (level == null) {
            levels[top] = new Level();
        } else {
            level.clear();
        }
    }

    /** Leaves the innermost object. */
    void pop() {
        if (top < 0) {
            throw new IllegalStateException("pop without push");
        }
        top--;
    }

    /** Notes {@code name} in the innermost object; false if that object already had it. */
    boolean add(String name) {
        if (top < 0) {
            throw new IllegalStateException("a field name outside any object");
        }
        return levels[top].add(name);
    }

    /** Number of objects open; for tests. */
    int depth() {
        return top + 1;
    }

    private static final class Level {
        private final String[] names = new String[LINEAR];
        private final int[] hashes = new int[LINEAR];
        private int count;
        private HashSet<String> many;

        void clear() {
            count = 0;
            many = null;
        }

        boolean add(String name) {
            if (many != null) {
                return many.add(name);
            }
            int hash = name.hashCode();
            for (int i = 0; i < count; i++) {
                // equals() starts with an identity check, which canonical names pass
                if (hashes[i] == hash && names[i].equals(name)) {
                    return false;
                }
            }
            if (count == LINEAR) {
                many = new HashSet<>(4 * LINEAR);
                many.addAll(Arrays.asList(names));
                return many.add(name);
            }
            names[count] = name;
            hashes[count++] = hash;
            return true;
        }
    }
}
