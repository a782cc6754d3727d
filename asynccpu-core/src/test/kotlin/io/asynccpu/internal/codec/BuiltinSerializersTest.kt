package io.asynccpu.internal.codec

import io.asynccpu.SumOfSquares
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.serialization.serializer

private class Holder(@JvmField val ints: List<Int>)

class BuiltinSerializersTest :
    FunSpec({
        test("the table gives exactly the serializers kotlinx's reflective lookup gives, primitive and boxed") {
            val types =
                listOf(
                    Int::class.javaPrimitiveType!!,
                    Int::class.javaObjectType,
                    Long::class.javaPrimitiveType!!,
                    Long::class.javaObjectType,
                    Short::class.javaPrimitiveType!!,
                    Short::class.javaObjectType,
                    Byte::class.javaPrimitiveType!!,
                    Byte::class.javaObjectType,
                    Double::class.javaPrimitiveType!!,
                    Double::class.javaObjectType,
                    Float::class.javaPrimitiveType!!,
                    Float::class.javaObjectType,
                    Boolean::class.javaPrimitiveType!!,
                    Boolean::class.javaObjectType,
                    Char::class.javaPrimitiveType!!,
                    Char::class.javaObjectType,
                    String::class.java,
                    Unit::class.java,
                )
            for (type in types) BuiltinSerializers.of(type) shouldBe serializer(type)
        }

        test("any other type goes to kotlinx's lookup") {
            BuiltinSerializers.of(SumOfSquares::class.java) shouldBe serializer(SumOfSquares::class.java)
            val listOfInts = Holder::class.java.getDeclaredField("ints").genericType // List<Integer>
            BuiltinSerializers.of(listOfInts).descriptor shouldBe serializer(listOfInts).descriptor
        }
    })
