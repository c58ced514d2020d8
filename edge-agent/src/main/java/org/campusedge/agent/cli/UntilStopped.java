package org.campusedge.agent.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a started service running until the process is told to stop (SIGTERM, Ctrl-C) or a time
 * limit passes, then closes it exactly once — on the shutdown hook's thread or the caller's.
 */
final class UntilStopped {

    private UntilStopped() {
    }

    /**
     * @param service   what to close on stop
     * @param limit     stop by itself after this long; {@link Duration#ZERO} waits for a signal only
     * @param afterStop printed once the service is closed, or null
     */
    static void run(AutoCloseable service, Duration limit, String afterStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
            if (afterStop != null) {
                System.out.println(afterStop);
            }
            stopped.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (limit.isZero()) {
            stopped.await();
        } else if (!stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            Runtime.getRuntime().removeShutdownHook(hook);
            hook.run();
        }
    }
}
