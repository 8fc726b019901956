package app.growbin.backend;

import app.growbin.annotations.Autoscaling;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.annotations.SecretEnv;
import app.growbin.annotations.SendsTasks;
import app.growbin.annotations.Slo;
import app.growbin.runtime.RestApi;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.auth.Caller;
import app.growbin.runtime.ratelimit.RateLimit;
import app.growbin.runtime.Routes;
import app.growbin.runtime.ServiceContext;
import app.growbin.runtime.Response;
import app.growbin.runtime.HttpException;
import app.growbin.runtime.celery.Signature;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.celery.TaskResult;
import app.growbin.runtime.celery.TaskState;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Waste classification API: accepts an image and runs the AI pipeline on it. */
@RestService(path = "/api/v1/waste", replicas = 3, port = 8000)
@Resources(cpu = "200m", memory = "256Mi", cpuLimit = "1000m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "application")
@Autoscaling(minReplicas = 3, maxReplicas = 10, targetCpuUtilization = 70)
@SendsTasks(chain = {PreprocessWorker.class, VisionWorker.class, RagWorker.class, LlmWorker.class})
@Slo(availability = 99.5, latencyPercentile = 99, latencyThresholdSeconds = 1)
@SecretEnv(name = "AUTH_SIGNING_KEYS", secret = "auth-secrets", key = "signing-keys")
public final class WasteApi implements RestApi {

    /** The pipeline's stages in order, by name (the GET answer reports the stage a request is in). */
    static final List<String> STAGES = List.of("preprocess", "vision", "rag", "llm");

    /**
     * The chain preprocess → vision → rag → llm, built with the generated typed clients: the first
     * step carries the input, each later step gets the previous result as its argument.
     */
    static List<Signature> pipeline(String input) {
        return List.of(
                PreprocessTasks.normalizeSignature(input),
                VisionTasks.classifyStep(),
                RagTasks.retrieveStep(),
                LlmTasks.answerStep());
    }

    /** The task id of a stage, derived from the request id, so any replica can answer the GET. */
    static String stageId(String id, String stage) {
        return stage.equals("preprocess") ? id
                : UUID.nameUUIDFromBytes((id + ":" + stage).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private final String queueSuffix;

    public WasteApi() {
        this("");
    }

    /** Tests run the pipeline on their own queues ({@code q.vision<suffix>}). */
    WasteApi(String queueSuffix) {
        this.queueSuffix = queueSuffix;
    }

    /**
     * {@code POST ""} starts the pipeline, whose last steps are paid OpenAI calls: it needs a valid
     * token, and draws on the service's rate limit per token subject (the runtime's
     * {@code RATE_LIMIT_REQUESTS} per {@code RATE_LIMIT_WINDOW_SECONDS}, 30 per minute unless
     * {@code api.rest.waste.rateLimit} says otherwise), shared by every replica in Redis. The caller
     * is recorded as the request's owner, in Redis for as long as its results are kept.
     * {@code GET "/{id}"} answers the owner and the {@code admin} role only; to anyone else, another
     * user's request is a 404 like an unknown one, so that ids do not reveal whether they exist.
     */
    @Override
    public void routes(Routes routes, ServiceContext context) {
        routes.post("", Access.AUTHENTICATED, RateLimit.PER_CALLER, request -> {
            JsonNode body = request.json();
            String input = body.path("imageRef").asText(body.path("description").asText(""));
            if (input.isBlank()) {
                throw HttpException.badRequest("send {\"imageRef\": \"...\"} or {\"description\": \"...\"}");
            }
            String id = start(context.tasks(), input, queueSuffix, request.requireCaller().subject());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("taskId", id);
            answer.put("state", "PENDING");
            answer.put("statusUrl", routes.basePath() + "/" + id);
            return Response.json(202, answer).header("Location", routes.basePath() + "/" + id);
        });
        routes.get("/{id}", Access.AUTHENTICATED, request -> {
            String id = request.pathParam("id");
            requireReadable(context.tasks(), id, request.requireCaller());
            return status(context.tasks(), id);
        });
    }

    /** The role that reads every request's status. */
    static final String ADMIN = UsersApi.ADMIN;

    /**
     * Sends the chain preprocess → vision → rag → llm on behalf of {@code owner}; returns the id the
     * client follows. The owner is recorded before the chain is sent, so a GET right after the 202
     * finds it on any replica.
     */
    static String start(TaskClient tasks, String input, String queueSuffix, String owner) {
        String id = UUID.randomUUID().toString();
        List<Signature> steps = pipeline(input);
        List<Signature> chain = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Signature step = steps.get(i).withTaskId(stageId(id, STAGES.get(i)));
            chain.add(queueSuffix.isEmpty() ? step : step.withQueue(step.queue() + queueSuffix));
        }
        tasks.results().recordOwner(id, owner);
        tasks.chain(chain);
        return id;
    }

    /** 404 unless the id names a request of this caller, or the caller is an administrator. */
    static void requireReadable(TaskClient tasks, String id, Caller caller) {
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw HttpException.notFound("no such task");
        }
        Optional<String> owner = tasks.results().owner(id);
        if (owner.isEmpty() || !(owner.get().equals(caller.subject()) || caller.hasRole(ADMIN))) {
            throw HttpException.notFound("no such task");
        }
    }

    static Response status(TaskClient tasks, String id) {
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw HttpException.notFound("no such task");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("taskId", id);
        String stage = "queued";
        for (String s : STAGES) {
            Optional<TaskResult> r = tasks.results().get(stageId(id, s));
            if (r.isEmpty()) {
                break;
            }
            TaskState state = r.get().status();
            if (state == TaskState.FAILURE || state == TaskState.REVOKED) {
                answer.put("state", "FAILURE");
                answer.put("stage", s);
                answer.put("error", r.get().result());
                return Response.ok(answer);
            }
            if (state != TaskState.SUCCESS) {
                answer.put("state", state == TaskState.RETRY ? "RETRY" : "STARTED");
                answer.put("stage", s);
                return Response.ok(answer);
            }
            stage = s;
            if (s.equals("llm")) {
                answer.put("state", "SUCCESS");
                answer.put("result", r.get().result());
                return Response.ok(answer);
            }
        }
        answer.put("state", stage.equals("queued") ? "PENDING" : "STARTED");
        answer.put("stage", stage.equals("queued") ? "preprocess" : next(stage));
        return Response.ok(answer);
    }

    private static String next(String stage) {
        int at = STAGES.indexOf(stage);
        return at >= 0 && at < STAGES.size() - 1 ? STAGES.get(at + 1) : stage;
    }
}
