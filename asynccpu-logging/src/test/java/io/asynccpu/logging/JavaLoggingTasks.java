package io.asynccpu.logging;

import io.asynccpu.JavaTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks written in Java that the Java logging tests send to real worker JVMs; they log as user code
 * would.
 */
public final class JavaLoggingTasks {
    private JavaLoggingTasks() {}

    /**
     * Logs {@code text} once at each of TRACE, DEBUG, INFO and WARN on logger "java.task"; returns
     * the worker's pid.
     */
    public static final class LogAtEveryLevel implements JavaTask<String, Long> {
        @Override
        public Long call(String text) {
            Logger logger = LoggerFactory.getLogger("java.task");
            logger.trace("trace {}", text);
            logger.debug("debug {}", text);
            logger.info("info {}", text);
            logger.warn("warn {}", text);
            return ProcessHandle.current().pid();
        }
    }
}
