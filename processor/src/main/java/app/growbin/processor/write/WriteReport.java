package app.growbin.processor.write;

import java.util.List;

/** What writing one environment folder changed, for the compiler NOTE. */
public record WriteReport(String environment, List<String> written, List<String> unchanged, List<String> removed) {

    public WriteReport {
        written = List.copyOf(written);
        unchanged = List.copyOf(unchanged);
        removed = List.copyOf(removed);
    }
}
