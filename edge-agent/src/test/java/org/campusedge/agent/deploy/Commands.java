package org.campusedge.agent.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool for the deploy tests and keeps what it printed. */
final class Commands {

    /** deploy-scripts/ of this checkout (tests run in edge-agent/). */
    static final Path DEPLOY = Path.of("..", "deploy-scripts").toAbsolutePath().normalize();

    record Result(int exit, String out) {
    }

    private Commands() {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of());
    }

    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), out);
    }

    /** True when a tool is on the PATH (CI installs them; .ci/run). */
    static boolean has(String tool) {
        try {
            return run(List.of("sh", "-c", "command -v " + tool)).exit() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
