package io.tally.engine.api;

/** One answer of a find: a branch (has children) or a leaf (has data). A path can be both; then two nodes. */
public record FindNode(String path, boolean leaf) implements Comparable<FindNode> {
    /** The last dot-separated node of the path. */
    public String nodeName() {
        int i = path.lastIndexOf('.');
        return i < 0 ? path : path.substring(i + 1);
    }

    @Override
    public int compareTo(FindNode o) {
        int c = path.compareTo(o.path);
        return c != 0 ? c : Boolean.compare(leaf, o.leaf);
    }
}
