package io.shardbank.harness;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.paxos.Ballot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code PrintView} shows: every NEW-VIEW message sent since the set's flush, per cluster in
 * ballot order. The first of each cluster is the bootstrap view of the flush, whose ballot round is
 * the wall-clock time of the flush.
 */
public record ViewLog(List<View> views, List<NodeId> unreachable) {

    /** One NEW-VIEW message: its ballot, its sender, and the accepted entries it carried. */
    public record View(ClusterId cluster, NodeId sender, Ballot ballot, long commitIndex, List<String> entries) {
        public View {
            entries = List.copyOf(entries);
        }
    }

    public ViewLog {
        views = views.stream().sorted(Comparator.comparing(View::cluster).thenComparing(View::ballot)).toList();
        unreachable = List.copyOf(unreachable);
    }

    /** The header line, a line per view and one per entry it carried. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("Input: PrintView; Output: " + views.size() + " NEW-VIEW message" + (views.size() == 1 ? "" : "s"));
        for (View view : views) {
            lines.add(view.cluster() + ": NEW-VIEW ballot " + view.ballot() + " from " + view.sender()
                    + ", commit index " + view.commitIndex() + ", " + view.entries().size() + " accepted entr"
                    + (view.entries().size() == 1 ? "y" : "ies") + (view.entries().isEmpty() ? "" : ":"));
            view.entries().forEach(entry -> lines.add("    " + entry));
        }
        unreachable.forEach(node -> lines.add(node + " : unreachable (its views are not shown)"));
        return lines;
    }
}
