package org.campusedge.agent.broker;

import org.campusedge.agent.sensors.TopicFilter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every client's subscriptions, kept as a tree of topic levels so finding the subscribers of a
 * topic costs the depth of the topic (times the wildcard branches met), not the number of
 * subscriptions. Filters are validated by {@link TopicFilter}; matching follows the same rules
 * (OASIS MQTT 3.1.1, section 4.7), which the unit test checks against {@link TopicFilter#matches}.
 *
 * <p>Not thread-safe: owned by the broker's event loop.
 */
final class SubscriptionTrie {

    private static final String PLUS = "+";
    private static final String HASH = "#";

    private final Node root = new Node(null, null);
    private int subscriptions;

    /**
     * Adds {@code clientId}'s subscription to {@code filter}, replacing an existing one with the
     * same filter (section 3.8.4: "it MUST completely replace" it).
     *
     * @return true if the subscription is new
     */
    boolean subscribe(TopicFilter filter, String clientId, int qos) {
        Node node = root;
        for (String level : levels(filter.filter())) {
            node = node.child(level, true);
        }
        if (node.subscribers == null) {
            node.subscribers = new HashMap<>(4);
        }
        boolean added = node.subscribers.put(clientId, qos) == null;
        if (added) {
            subscriptions++;
        }
        return added;
    }

    /** Removes one subscription; true if there was one. Empty branches are pruned. */
    boolean unsubscribe(TopicFilter filter, String clientId) {
        Node node = root;
        for (String level : levels(filter.filter())) {
            node = node.child(level, false);
            if (node == null) {
                return false;
            }
        }
        if (node.subscribers == null || node.subscribers.remove(clientId) == null) {
            return false;
        }
        subscriptions--;
        if (node.subscribers.isEmpty()) {
            node.subscribers = null;
        }
        while (node.parent != null && node.isEmpty()) {
            node.parent.remove(node);
            node = node.parent;
        }
        return true;
    }

    /**
     * The clients with a subscription matching {@code topic}, each with the highest QoS among its
     * matching subscriptions (section 3.3.5: deliver "respecting the maximum QoS of all the
     * matching subscriptions"), so a client gets one copy.
     */
    Map<String, Integer> match(String topic) {
        Map<String, Integer> out = new HashMap<>();
        String[] levels = levels(topic);
        // Section 4.7.2: a filter starting with a wildcard does not match a topic starting with '$'.
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        collect(root, levels, 0, dollar, out);
        return out;
    }

    /** How many (client, filter) subscriptions are stored. */
    int size() {
        return subscriptions;
    }

    private static void collect(Node node, String[] levels, int i, boolean dollar, Map<String, Integer> out) {
        boolean wildcardsAllowed = !(dollar && i == 0);
        if (i == levels.length) {
            add(node.subscribers, out);
            // Section 4.7.1.2: "sport/#" also matches "sport", the parent level.
            if (node.hash != null) {
                add(node.hash.subscribers, out);
            }
            return;
        }
        if (wildcardsAllowed && node.hash != null) {
            add(node.hash.subscribers, out);
        }
        if (wildcardsAllowed && node.plus != null) {
            collect(node.plus, levels, i + 1, dollar, out);
        }
        Node exact = node.children == null ? null : node.children.get(levels[i]);
        if (exact != null) {
            collect(exact, levels, i + 1, dollar, out);
        }
    }

    private static void add(Map<String, Integer> subscribers, Map<String, Integer> out) {
        if (subscribers != null) {
            subscribers.forEach((client, qos) -> out.merge(client, qos, Math::max));
        }
    }

    /** Splits on '/', keeping empty levels ("a//b" has three, "/a" two; section 4.7.1.1). */
    static String[] levels(String topic) {
        List<String> out = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                out.add(topic.substring(start, i));
                start = i + 1;
            }
        }
        out.add(topic.substring(start));
        return out.toArray(new String[0]);
    }

    private static final class Node {
        final Node parent;
        final String level;
        Map<String, Node> children;
        Node plus;
        Node hash;
        Map<String, Integer> subscribers;

        Node(Node parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        Node child(String level, boolean create) {
            if (level.equals(PLUS)) {
                if (plus == null && create) {
                    plus = new Node(this, level);
                }
                return plus;
            }
            if (level.equals(HASH)) {
                if (hash == null && create) {
                    hash = new Node(this, level);
                }
                return hash;
            }
            Node n = children == null ? null : children.get(level);
            if (n == null && create) {
                if (children == null) {
                    children = new HashMap<>(4);
                }
                n = new Node(this, level);
                children.put(level, n);
            }
            return n;
        }

        void remove(Node child) {
            if (child == plus) {
                plus = null;
            } else if (child == hash) {
                hash = null;
            } else if (children != null) {
                children.remove(child.level);
                if (children.isEmpty()) {
                    children = null;
                }
            }
        }

        boolean isEmpty() {
            return subscribers == null && children == null && plus == null && hash == null;
        }
    }
}
