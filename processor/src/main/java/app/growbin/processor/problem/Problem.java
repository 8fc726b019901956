package app.growbin.processor.problem;

import app.growbin.processor.site.Site;

/**
 * One thing wrong with the input: what, where, and how to fix it. Reported as one compiler error.
 *
 * @param rule the rule that was broken; its id starts the message so users and tests can search for it
 * @param site where the offending value was written
 * @param detail the plain-words explanation, including how to fix it
 */
public record Problem(Rule rule, Site site, String detail) {

    /** Whether the problem stops the compile (every rule but the warnings). */
    public boolean isError() {
        return !rule.isWarning();
    }

    /** The message as the compiler prints it. */
    public String message() {
        String where = site instanceof Site.InValues v ? v.file().getFileName() + ":" + v.line() + ": "
                : site instanceof Site.InOption o ? "-A" + o.option() + ": "
                : site instanceof Site.InRecord r ? r.className() + (r.member().isEmpty() ? "" : " " + r.member()) + " (compiled earlier): " : "";
        return "[growbin:" + rule.id() + "] " + where + detail;
    }
}
