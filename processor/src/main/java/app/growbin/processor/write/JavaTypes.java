package app.growbin.processor.write;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.ArrayList;
import java.util.List;

/** Parses the canonical type strings of the model ({@code java.util.List<java.lang.String>}, {@code int[]}) into JavaPoet types. */
final class JavaTypes {

    private final String text;
    private int pos;

    private JavaTypes(String text) {
        this.text = text.replace(" ", "");
    }

    static TypeName parse(String type) {
        JavaTypes p = new JavaTypes(type);
        TypeName t = p.type();
        if (p.pos != p.text.length()) {
            throw new IllegalArgumentException("cannot read the type '" + type + "'");
        }
        return t;
    }

    /** The generic-free class of a type, for {@code Foo.class} literals. */
    static boolean isGeneric(TypeName t) {
        if (t instanceof ParameterizedTypeName) {
            return true;
        }
        if (t instanceof ArrayTypeName) {
            return isGeneric(((ArrayTypeName) t).componentType());
        }
        return false;
    }

    private TypeName type() {
        TypeName base;
        if (text.startsWith("?", pos)) {
            pos++;
            if (text.startsWith("extends", pos)) {
                pos += "extends".length();
                base = WildcardTypeName.subtypeOf(type());
            } else if (text.startsWith("super", pos)) {
                pos += "super".length();
                base = WildcardTypeName.supertypeOf(type());
            } else {
                base = WildcardTypeName.subtypeOf(Object.class);
            }
            return base;
        }
        int start = pos;
        while (pos < text.length() && (Character.isJavaIdentifierPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        String name = text.substring(start, pos);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("cannot read the type '" + text + "' at " + start);
        }
        base = primitive(name);
        if (base == null) {
            ClassName raw = ClassName.bestGuess(name);
            if (pos < text.length() && text.charAt(pos) == '<') {
                pos++;
                List<TypeName> args = new ArrayList<>();
                while (true) {
                    args.add(type());
                    char c = text.charAt(pos++);
                    if (c == '>') {
                        break;
                    }
                    if (c != ',') {
                        throw new IllegalArgumentException("cannot read the type '" + text + "'");
                    }
                }
                base = ParameterizedTypeName.get(raw, args.toArray(new TypeName[0]));
            } else {
                base = raw;
            }
        }
        while (text.startsWith("[]", pos)) {
            pos += 2;
            base = ArrayTypeName.of(base);
        }
        return base;
    }

    private static TypeName primitive(String name) {
        switch (name) {
            case "boolean": return TypeName.BOOLEAN;
            case "byte": return TypeName.BYTE;
            case "short": return TypeName.SHORT;
            case "int": return TypeName.INT;
            case "long": return TypeName.LONG;
            case "char": return TypeName.CHAR;
            case "float": return TypeName.FLOAT;
            case "double": return TypeName.DOUBLE;
            case "void": return TypeName.VOID;
            default: return null;
        }
    }
}
