package io.asynccpu.internal.future

import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob

/**
 * Where the Java facade runs its coroutines (futures of suspending calls, publishers, map streams): `Dispatchers.IO`,
 * so Java callbacks that block do not starve the CPU dispatcher, and never a thread that reads from a worker. A
 * supervisor: one failing bridge never cancels another.
 */
internal object JavaScope :
    CoroutineScope by CoroutineScope(SupervisorJob() + Dispatchers.IO + CoroutineName("asynccpu-java"))
