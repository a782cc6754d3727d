import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API dump of one module, read from its class files (so it shows what Java sees: every
 * public or protected class, method and field outside `internal` packages, with JVM descriptors),
 * compared with the checked-in dump. Run by each library module at `verify`:
 *
 *   java build-tools/ApiDump.java <classes dir> <dump file> <update: true|false>
 *
 * Exits 1 with the differences when the API changed and update is false; with update true it
 * rewrites the dump (review the diff and commit it). No dependencies: a single-file program with
 * a minimal class-file reader, so it runs on any JDK 17+.
 */
public final class ApiDump {
    private static final int ACC_PUBLIC = 0x0001, ACC_PRIVATE = 0x0002, ACC_PROTECTED = 0x0004, ACC_STATIC = 0x0008,
            ACC_FINAL = 0x0010, ACC_INTERFACE = 0x0200, ACC_ABSTRACT = 0x0400, ACC_SYNTHETIC = 0x1000,
            ACC_ANNOTATION = 0x2000, ACC_ENUM = 0x4000, ACC_BRIDGE = 0x0040;

    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        Path dumpFile = Path.of(args[1]);
        boolean update = Boolean.parseBoolean(args[2]);
        if (!Files.isDirectory(classes)) return; // a module without classes (a BOM, a pom) has no API
        String dump = dump(classes);
        String module = dumpFile.getFileName().toString();
        if (update) {
            Files.createDirectories(dumpFile.getParent());
            Files.writeString(dumpFile, dump);
            System.out.println("[api] wrote " + dumpFile + ": review the diff and commit it");
            return;
        }
        if (!Files.exists(dumpFile)) {
            fail(module, "There is no API dump " + dumpFile + " yet. Create it with: ./mvnw -B -DskipTests clean verify -Dapi.update=true "
                    + "(then review and commit it).");
        }
        String expected = Files.readString(dumpFile);
        if (!expected.equals(dump)) {
            List<String> was = List.of(expected.split("\n"));
            List<String> now = List.of(dump.split("\n"));
            StringBuilder diff = new StringBuilder();
            for (String line : was) if (!now.contains(line)) diff.append("  - ").append(line.strip()).append('\n');
            for (String line : now) if (!was.contains(line)) diff.append("  + ").append(line.strip()).append('\n');
            fail(module, "The public API differs from the checked-in dump " + dumpFile + ":\n" + diff
                    + "If the change is intended, rewrite the dump with ./mvnw -B -DskipTests clean verify -Dapi.update=true, "
                    + "review its diff and commit it with the change.");
        }
    }

    private static void fail(String module, String message) {
        System.err.println("[api] " + module + ": " + message);
        System.exit(1);
    }

    static String dump(Path classes) throws IOException {
        Map<String, ClassInfo> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
                try (InputStream in = Files.newInputStream(file)) {
                    ClassInfo info = ClassInfo.read(new DataInputStream(in));
                    all.put(info.name, info);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (ClassInfo info : all.values()) {
            if (!info.isVisible(all)) continue;
            out.append(modifiers(info.access, true)).append(kind(info.access)).append(info.name);
            List<String> supers = new ArrayList<>();
            if (info.superName != null && !info.superName.equals("java/lang/Object") && (info.access & ACC_INTERFACE) == 0) supers.add(info.superName);
            supers.addAll(info.interfaces);
            if (!supers.isEmpty()) out.append(" : ").append(String.join(", ", supers));
            out.append(" {\n");
            List<String> members = new ArrayList<>();
            for (Member m : info.members) {
                if ((m.access & (ACC_PUBLIC | ACC_PROTECTED)) == 0 || (m.access & (ACC_SYNTHETIC | ACC_BRIDGE)) != 0) continue;
                if (m.name.equals("<clinit>")) continue;
                int flags = (info.access & ACC_INTERFACE) != 0 ? m.access & ~ACC_ABSTRACT : m.access;
                members.add("\t" + modifiers(flags, false) + (m.field ? "field " : "fun ") + m.name + " " + m.descriptor);
            }
            members.sort(null);
            members.forEach(line -> out.append(line).append('\n'));
            out.append("}\n\n");
        }
        return out.toString();
    }

    private static String kind(int access) {
        if ((access & ACC_ANNOTATION) != 0) return "annotation class ";
        if ((access & ACC_INTERFACE) != 0) return "interface ";
        if ((access & ACC_ENUM) != 0) return "enum class ";
        return "class ";
    }

    private static String modifiers(int access, boolean type) {
        StringBuilder m = new StringBuilder((access & ACC_PROTECTED) != 0 ? "protected " : "public ");
        if (!type || (access & ACC_INTERFACE) == 0) {
            if ((access & ACC_ABSTRACT) != 0) m.append("abstract ");
            if ((access & ACC_FINAL) != 0) m.append("final ");
        }
        if (!type && (access & ACC_STATIC) != 0) m.append("static ");
        return m.toString();
    }

    record Member(boolean field, int access, String name, String descriptor) {}

    static final class ClassInfo {
        String name;
        String superName;
        int access;
        final List<String> interfaces = new ArrayList<>();
        final List<Member> members = new ArrayList<>();
        /** For a nested class: its access flags as declared (from InnerClasses), and its outer class. */
        Integer innerAccess;
        String outer;

        boolean isVisible(Map<String, ClassInfo> all) {
            if (name.contains("/internal/") || name.startsWith("io/kotest/")) return false;
            int effective = innerAccess != null ? innerAccess : access;
            if ((effective & (ACC_PUBLIC | ACC_PROTECTED)) == 0 || (effective & ACC_SYNTHETIC) != 0) return false;
            if (outer != null) {
                ClassInfo enclosing = all.get(outer);
                return enclosing == null || enclosing.isVisible(all);
            }
            // Anonymous and local classes have no InnerClasses entry with an outer name but a '$' digit name.
            return !name.matches(".*\\$[0-9].*");
        }

        static ClassInfo read(DataInputStream in) throws IOException {
            if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            Object[] pool = new Object[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> pool[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> { in.readLong(); i++; }
                    case 7, 8, 16, 19, 20 -> pool[i] = in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 15 -> { in.readUnsignedByte(); in.readUnsignedShort(); }
                    default -> throw new IOException("bad constant pool tag " + tag);
                }
            }
            ClassInfo info = new ClassInfo();
            info.access = in.readUnsignedShort();
            info.name = className(pool, in.readUnsignedShort());
            int superIndex = in.readUnsignedShort();
            info.superName = superIndex == 0 ? null : className(pool, superIndex);
            int interfaces = in.readUnsignedShort();
            for (int i = 0; i < interfaces; i++) info.interfaces.add(className(pool, in.readUnsignedShort()));
            for (int kind = 0; kind < 2; kind++) {
                int n = in.readUnsignedShort();
                for (int i = 0; i < n; i++) {
                    int access = in.readUnsignedShort();
                    String name = (String) pool[in.readUnsignedShort()];
                    String descriptor = (String) pool[in.readUnsignedShort()];
                    skipAttributes(in);
                    info.members.add(new Member(kind == 0, access, name, descriptor));
                }
            }
            int attributes = in.readUnsignedShort();
            for (int i = 0; i < attributes; i++) {
                String attribute = (String) pool[in.readUnsignedShort()];
                int length = in.readInt();
                if (!attribute.equals("InnerClasses")) {
                    in.skipNBytes(length);
                    continue;
                }
                int classes = in.readUnsignedShort();
                for (int c = 0; c < classes; c++) {
                    int inner = in.readUnsignedShort();
                    int outer = in.readUnsignedShort();
                    in.readUnsignedShort();
                    int flags = in.readUnsignedShort();
                    if (className(pool, inner).equals(info.name)) {
                        info.innerAccess = flags;
                        info.outer = outer == 0 ? null : className(pool, outer);
                    }
                }
            }
            return info;
        }

        private static void skipAttributes(DataInputStream in) throws IOException {
            int n = in.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                in.readUnsignedShort();
                in.skipNBytes(in.readInt());
            }
        }

        private static String className(Object[] pool, int index) {
            return (String) pool[(Integer) pool[index]];
        }
    }
}
