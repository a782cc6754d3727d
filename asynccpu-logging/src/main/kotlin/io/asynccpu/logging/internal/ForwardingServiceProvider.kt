package io.asynccpu.logging.internal

import java.util.concurrent.ConcurrentHashMap
import org.slf4j.ILoggerFactory
import org.slf4j.IMarkerFactory
import org.slf4j.Logger
import org.slf4j.helpers.BasicMDCAdapter
import org.slf4j.helpers.BasicMarkerFactory
import org.slf4j.spi.MDCAdapter
import org.slf4j.spi.SLF4JServiceProvider

/**
 * The worker's SLF4J provider, selected with `-Dslf4j.provider=` on the worker's command line only (never through
 * `META-INF/services`, which would compete with the caller's binding on the shared class path). Loggers are
 * [ForwardingLogger]s; markers and MDC are SLF4J's basic implementations.
 *
 * Public in bytecode because SLF4J instantiates it by name; not an API.
 */
internal class ForwardingServiceProvider : SLF4JServiceProvider {
    private val markerFactory = BasicMarkerFactory()
    private val mdcAdapter = BasicMDCAdapter()
    private val loggers = ConcurrentHashMap<String, Logger>()
    private val loggerFactory = ILoggerFactory { name -> loggers.computeIfAbsent(name) { ForwardingLogger(it) } }

    override fun getLoggerFactory(): ILoggerFactory = loggerFactory

    override fun getMarkerFactory(): IMarkerFactory = markerFactory

    override fun getMDCAdapter(): MDCAdapter = mdcAdapter

    override fun getRequestedApiVersion(): String = "2.0.99"

    override fun initialize() {}
}
