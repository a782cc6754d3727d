package io.asynccpu.internal.codec

import java.util.concurrent.atomic.AtomicReference
import kotlin.jvm.internal.CallableReference
import kotlin.jvm.internal.ClassBasedDeclarationContainer
import kotlin.jvm.internal.FunctionReference
import kotlin.jvm.internal.FunctionReferenceImpl
import kotlin.reflect.KFunction

/** Turns a Kotlin function reference into a [FunctionTarget] that a worker can call by name. */
internal object FunctionReferences {
    const val FORMS_THAT_WORK: String =
        "Use a @Serializable class implementing ProcessTask, or a reference to a top-level function " +
            "(::myFunction) or to a member of an object (MyObject::myFunction)."

    /**
     * Targets of unbound references, per reference class. The compiler makes one class per `::f` expression, so a hit
     * (same class, same signature) skips the reflective work on every submit.
     */
    private val resolved =
        object : ClassValue<AtomicReference<Pair<String, FunctionTarget>?>>() {
            override fun computeValue(type: Class<*>) = AtomicReference<Pair<String, FunctionTarget>?>()
        }

    /**
     * @throws IllegalArgumentException if [function] cannot travel to another process, or if it is a function of the
     *   platform or of this library ([FunctionPolicy]), which workers refuse to call.
     */
    fun resolve(function: KFunction<*>): FunctionTarget {
        val reference =
            function as? FunctionReference
                ?: throw IllegalArgumentException(
                    "$function is not a function reference and cannot travel to a worker. $FORMS_THAT_WORK"
                )
        val cacheable =
            reference.boundReceiver === CallableReference.NO_RECEIVER &&
                reference.javaClass != FunctionReferenceImpl::class.java &&
                reference.javaClass != FunctionReference::class.java
        if (!cacheable) return resolveUncached(reference)
        val slot = resolved.get(reference.javaClass)
        val signature = reference.signature
        slot.get()?.let { (cachedSignature, target) -> if (cachedSignature == signature) return target }
        return resolveUncached(reference).also { slot.set(signature to it) }
    }

    private fun resolveUncached(reference: FunctionReference): FunctionTarget {
        val signature = reference.signature
        val name = signature.substringBefore('(')
        val descriptor = signature.substring(name.length)
        if (name == "<init>") {
            throw IllegalArgumentException("A constructor reference cannot be called in a worker. $FORMS_THAT_WORK")
        }
        val receiver = reference.boundReceiver
        val onObject: Boolean
        val owner: Class<*>
        if (receiver === CallableReference.NO_RECEIVER) {
            onObject = false
            owner =
                (reference.owner as? ClassBasedDeclarationContainer)?.jClass
                    ?: throw IllegalArgumentException("${reference.name} has no owner class. $FORMS_THAT_WORK")
        } else {
            if (receiver == null || !isKotlinObject(receiver)) {
                throw IllegalArgumentException(
                    "'${reference.name}' is a bound reference (its receiver ${receiver?.javaClass?.name} would have " +
                        "to travel with it). $FORMS_THAT_WORK"
                )
            }
            onObject = true
            owner = receiver.javaClass
        }
        FunctionPolicy.refusal(owner.name)?.let {
            throw IllegalArgumentException("'${reference.name}' cannot be called in a worker: $it")
        }
        return FunctionTarget.find(owner, name, descriptor, onObject)
            ?: throw IllegalArgumentException(
                "'${reference.name}' in ${owner.name} is not a top-level function or object member " +
                    "(local functions and members of ordinary classes cannot be called by name). $FORMS_THAT_WORK"
            )
    }

    private fun isKotlinObject(receiver: Any): Boolean =
        try {
            receiver.javaClass.getField("INSTANCE").get(null) === receiver
        } catch (e: ReflectiveOperationException) {
            false
        }
}
