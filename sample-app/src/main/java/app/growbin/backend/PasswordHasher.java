package app.growbin.backend;

import app.growbin.runtime.HttpException;
import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Argon2id password hashes (password4j), stored in PHC format, which carries the algorithm and its
 * parameters: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. The policy is OWASP's minimum
 * for Argon2id (19 MiB, 2 passes, 1 lane); a stored hash below it is replaced at the next successful
 * login ({@link #needsRehash}). Each hash takes 19 MiB of heap for its duration, so only as many run at
 * once as there are CPUs (more would only queue for the CPU anyway); a request that cannot get a turn
 * within 10 s is a 503.
 */
final class PasswordHasher {

    /** The parameters new hashes get, and the minimum a stored hash must have. */
    record Policy(int memoryKiB, int iterations, int parallelism) {}

    static final Policy OWASP_MINIMUM = new Policy(19_456, 2, 1);
    private static final int OUTPUT_BYTES = 32;
    private static final int SALT_BYTES = 16;

    private final Policy policy;
    private final Argon2Function function;
    private final Semaphore turns = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);
    private final LongAdder computed = new LongAdder();
    /** What an unknown username is checked against: the same work as a known one. */
    private final String decoy;

    PasswordHasher(Policy policy) {
        this.policy = policy;
        this.function = Argon2Function.getInstance(policy.memoryKiB(), policy.iterations(), policy.parallelism(), OUTPUT_BYTES,
                Argon2.ID, Argon2Function.ARGON2_VERSION_13);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.decoy = hash(Base64.getEncoder().encodeToString(random));
    }

    /** A new hash under the policy. */
    String hash(String password) {
        return withTurn(() -> Password.hash(password).addRandomSalt(SALT_BYTES).with(function).getResult());
    }

    /** Whether the password matches the stored hash; the stored hash's own parameters are used. */
    boolean verify(String password, String stored) {
        Argon2Function stored_;
        try {
            stored_ = Argon2Function.getInstanceFromHash(stored);
        } catch (RuntimeException e) {
            // not a hash this service wrote: do the same work, and fail
            withTurn(() -> function.check(password, decoy));
            return false;
        }
        return withTurn(() -> stored_.check(password, stored));
    }

    /** The same work as {@link #verify} of a known account, for a username that does not exist; always false. */
    boolean verifyUnknown(String password) {
        withTurn(() -> function.check(password, decoy));
        return false;
    }

    /** A hash with weaker parameters than the policy, or of another algorithm. */
    boolean needsRehash(String stored) {
        try {
            Argon2Function f = Argon2Function.getInstanceFromHash(stored);
            return f.getVariant() != Argon2.ID || f.getMemory() < policy.memoryKiB() || f.getIterations() < policy.iterations()
                    || f.getParallelism() < policy.parallelism();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** Argon2 computations so far (every login computes exactly one, whether or not the user exists). */
    long computed() {
        return computed.sum();
    }

    private <T> T withTurn(java.util.function.Supplier<T> work) {
        try {
            if (!turns.tryAcquire(10, TimeUnit.SECONDS)) {
                throw HttpException.unavailable("too many logins at once");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HttpException.unavailable("interrupted");
        }
        try {
            computed.increment();
            return work.get();
        } finally {
            turns.release();
        }
    }
}
