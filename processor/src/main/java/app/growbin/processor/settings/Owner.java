package app.growbin.processor.settings;

/** Who decides a setting: the code (its annotations) or the operators (the values files). */
public enum Owner {
    /** Part of the code's contract: names, paths, ports, queues, pools, tasks. Values files may not set it. */
    CODE,
    /** An operational setting: an annotation may give its default, the values files change it per environment. */
    OPERATIONS
}
