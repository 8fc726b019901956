package app.growbin.processor.model;

import app.growbin.processor.settings.WorkloadKind;

/**
 * A call the code declares with {@code @SendsTasks}: the workload {@code from} sends tasks to the queue
 * of {@code worker}.
 *
 * @param fromKind a REST service or a worker
 * @param from the sender's name
 * @param worker the receiving worker's name
 * @param chained whether the tasks are steps of a Celery chain (the sender is the caller of the chain,
 *                or the worker of the step before)
 */
public record TaskCall(WorkloadKind fromKind, String from, String worker, boolean chained) {}
