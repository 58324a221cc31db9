package io.revops.bridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;
import io.revops.bridge.sandbox.salesforce.SoqlSyntax.*;

/**
 * A tokenizer and recursive-descent parser of the SOQL subset the emulator evaluates (see {@link SoqlEngine}).
 * Keywords are case-insensitive. AND and OR cannot be mixed without parentheses, as in Salesforce. What the
 * emulator does not implement (GROUP BY, aggregates other than COUNT(), semi-joins, TYPEOF, WITH, FOR ...) is refused
 * as MALFORMED_QUERY naming the construct, never answered differently.
 */
final class SoqlParser {
    static final int MAX_LENGTH = 100_000;
    private static final int MAX_DEPTH = 100;
    /** A LIKE pattern's escaped wildcards (\% and \_) until the comparison decides what they mean. */
    static final char ESCAPED_PERCENT = '\uE000';
    static final char ESCAPED_UNDERSCORE = '\uE001';
    private static final Pattern NUMBER_OR_DATE = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,3})?(?:Z|[+-]\\d{2}:\\d{2}))|(\\d{4}-\\d{2}-\\d{2})|([+-]?\\d+(?:\\.\\d+)?)");
    private static final Set<String> DATE_LITERALS = Set.of("TODAY", "YESTERDAY", "TOMORROW", "THIS_WEEK", "LAST_WEEK",
            "NEXT_WEEK", "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH", "THIS_QUARTER", "LAST_QUARTER", "NEXT_QUARTER",
            "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR", "LAST_90_DAYS", "NEXT_90_DAYS");
    private static final Set<String> N_DATE_LITERALS = Set.of("LAST_N_DAYS", "NEXT_N_DAYS");
    private static final Set<String> NOT_IMPLEMENTED = Set.of("GROUP", "HAVING", "WITH", "FOR", "USING", "TYPEOF",
            "INCLUDES", "EXCLUDES", "SUM", "AVG", "MIN", "MAX", "COUNT_DISTINCT", "FORMAT", "TOLABEL", "CONVERTCURRENCY",
            "CALENDAR_YEAR", "CALENDAR_MONTH", "DAY_ONLY", "DISTANCE", "GEOLOCATION");

    enum Type { IDENT, STRING, NUMBER, DATE, DATETIME, OPERATOR, LPAREN, RPAREN, COMMA, DOT, COLON, EOF }

    record Token(Type type, String text, int position) {
        boolean is(String keyword) {
            return type == Type.IDENT && text.equalsIgnoreCase(keyword);
        }
    }

    private final String soql;
    private final List<Token> tokens;
    private int next;
    private int depth;

    private SoqlParser(String soql) {
        this.soql = soql;
        this.tokens = tokenize(soql);
    }

    static Query parse(String soql) {
        if (soql == null || soql.isBlank()) {
            throw new SObjectException(400, "MALFORMED_QUERY", "unexpected token: <EOF>", List.of());
        }
        if (soql.length() > MAX_LENGTH) {
            throw new SObjectException(400, "MALFORMED_QUERY", "SOQL statements cannot be longer than 100,000 characters.",
                    List.of());
        }
        SoqlParser parser = new SoqlParser(soql);
        Query query = parser.query();
        parser.expect(Type.EOF);
        return query;
    }

    /** Salesforce's error text: the query, a caret under the spot, its row and column, then what is wrong. */
    static SObjectException error(String soql, int position, String errorCode, String problem) {
        int row = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(position, soql.length()); i++) {
            if (soql.charAt(i) == '\n') {
                row++;
                lineStart = i + 1;
            }
        }
        int lineEnd = soql.indexOf('\n', lineStart);
        String line = soql.substring(lineStart, lineEnd < 0 ? soql.length() : lineEnd);
        int column = position - lineStart + 1;
        return new SObjectException(400, errorCode, "\n" + line + "\n" + " ".repeat(Math.max(0, column - 1)) + "^\nERROR at Row:"
                + row + ":Column:" + column + "\n" + problem, List.of());
    }

    private SObjectException unexpected(Token token) {
        String text = token.type == Type.EOF ? "<EOF>" : token.type == Type.STRING ? "'" + token.text + "'" : token.text;
        if (token.type == Type.IDENT && NOT_IMPLEMENTED.contains(token.text.toUpperCase(Locale.ROOT))) {
            return error(soql, token.position, "MALFORMED_QUERY", "unexpected token: " + text
                    + " (the Salesforce sandbox does not implement " + token.text.toUpperCase(Locale.ROOT) + ")");
        }
        return error(soql, token.position, "MALFORMED_QUERY", "unexpected token: " + text);
    }

    // ---- grammar

    private Query query() {
        keyword("SELECT");
        List<SelectItem> select = new ArrayList<>();
        do {
            select.add(selectItem());
        } while (accept(Type.COMMA));
        keyword("FROM");
        Token from = expect(Type.IDENT);
        Condition where = null;
        if (acceptKeyword("WHERE")) {
            where = condition();
        }
        List<Ordering> orderBy = new ArrayList<>();
        if (acceptKeyword("ORDER")) {
            keyword("BY");
            do {
                orderBy.add(ordering());
            } while (accept(Type.COMMA));
        }
        Integer limit = acceptKeyword("LIMIT") ? count() : null;
        Integer offset = acceptKeyword("OFFSET") ? count() : null;
        return new Query(List.copyOf(select), from.text, from.position, where, List.copyOf(orderBy), limit, offset);
    }

    private SelectItem selectItem() {
        Token token = peek();
        if (token.type == Type.LPAREN) {
            next++;
            enter(token);
            Query sub = query();
            expect(Type.RPAREN);
            depth--;
            return new SubQuery(sub);
        }
        if (token.type == Type.IDENT && peekAt(1).type == Type.LPAREN) {
            if (token.is("COUNT") && peekAt(2).type == Type.RPAREN) {
                next += 3;
                return new CountAll(token.position);
            }
            if (token.is("FIELDS")) {
                next += 2;
                Token kind = expect(Type.IDENT);
                if (!Set.of("STANDARD", "CUSTOM", "ALL").contains(kind.text.toUpperCase(Locale.ROOT))) {
                    throw unexpected(kind);
                }
                expect(Type.RPAREN);
                return new FieldsFunction(kind.text.toUpperCase(Locale.ROOT), token.position);
            }
            throw error(soql, token.position, "MALFORMED_QUERY", "unexpected token: " + token.text + "("
                    + " (the Salesforce sandbox implements no function here but COUNT() and FIELDS())");
        }
        return fieldPath();
    }

    private FieldPath fieldPath() {
        Token first = expect(Type.IDENT);
        if (NOT_IMPLEMENTED.contains(first.text.toUpperCase(Locale.ROOT)) || first.is("SELECT")) {
            throw unexpected(first);
        }
        List<String> parts = new ArrayList<>(List.of(first.text));
        while (accept(Type.DOT)) {
            parts.add(expect(Type.IDENT).text);
        }
        return new FieldPath(List.copyOf(parts), first.position);
    }

    /** terms joined by AND only or by OR only: mixing them needs parentheses, as Salesforce says. */
    private Condition condition() {
        List<Condition> terms = new ArrayList<>(List.of(unary()));
        String joiner = null;
        while (peek().is("AND") || peek().is("OR")) {
            Token op = tokens.get(next++);
            String upper = op.text.toUpperCase(Locale.ROOT);
            if (joiner != null && !joiner.equals(upper)) {
                throw unexpected(op);
            }
            joiner = upper;
            terms.add(unary());
        }
        if (joiner == null) {
            return terms.get(0);
        }
        return joiner.equals("AND") ? new And(List.copyOf(terms)) : new Or(List.copyOf(terms));
    }

    private Condition unary() {
        Token token = peek();
        if (token.is("NOT")) {
            next++;
            enter(token);
            Condition negated = new Not(unary());
            depth--;
            return negated;
        }
        if (token.type == Type.LPAREN) {
            next++;
            enter(token);
            Condition inner = condition();
            expect(Type.RPAREN);
            depth--;
            return inner;
        }
        return comparison();
    }

    private Condition comparison() {
        FieldPath field = fieldPath();
        Token op = peek();
        if (op.type == Type.OPERATOR) {
            next++;
            return new Comparison(field, op.text.equals("<>") ? "!=" : op.text, literal());
        }
        if (op.is("LIKE")) {
            next++;
            return new Comparison(field, "LIKE", literal());
        }
        boolean negated = false;
        if (op.is("NOT") && peekAt(1).is("IN")) {
            next++;
            negated = true;
        }
        if (peek().is("IN")) {
            next++;
            expect(Type.LPAREN);
            if (peek().is("SELECT")) {
                throw error(soql, peek().position, "MALFORMED_QUERY", "unexpected token: SELECT (the Salesforce sandbox "
                        + "does not implement semi-joins)");
            }
            List<Literal> values = new ArrayList<>();
            do {
                values.add(literal());
            } while (accept(Type.COMMA));
            expect(Type.RPAREN);
            return new InList(field, negated, List.copyOf(values));
        }
        throw unexpected(op);
    }

    private Literal literal() {
        Token token = tokens.get(next++);
        switch (token.type) {
            case STRING -> {
                return new Literal(LiteralKind.STRING, token.text, 0, token.position);
            }
            case NUMBER -> {
                return new Literal(LiteralKind.NUMBER, token.text, 0, token.position);
            }
            case DATE -> {
                return new Literal(LiteralKind.DATE, token.text, 0, token.position);
            }
            case DATETIME -> {
                return new Literal(LiteralKind.DATETIME, token.text, 0, token.position);
            }
            case IDENT -> {
                String upper = token.text.toUpperCase(Locale.ROOT);
                if (upper.equals("TRUE") || upper.equals("FALSE")) {
                    return new Literal(LiteralKind.BOOLEAN, upper, 0, token.position);
                }
                if (upper.equals("NULL")) {
                    return new Literal(LiteralKind.NULL, upper, 0, token.position);
                }
                if (DATE_LITERALS.contains(upper)) {
                    return new Literal(LiteralKind.DATE_LITERAL, upper, 0, token.position);
                }
                if (N_DATE_LITERALS.contains(upper)) {
                    expect(Type.COLON);
                    Token n = expect(Type.NUMBER);
                    if (!n.text.matches("\\d{1,9}")) {
                        throw unexpected(n);
                    }
                    return new Literal(LiteralKind.DATE_LITERAL, upper, Integer.parseInt(n.text), token.position);
                }
                throw unexpected(token);
            }
            default -> throw unexpected(token);
        }
    }

    private Ordering ordering() {
        FieldPath field = fieldPath();
        boolean descending = false;
        if (acceptKeyword("DESC")) {
            descending = true;
        } else {
            acceptKeyword("ASC");
        }
        boolean nullsFirst = !descending;
        if (acceptKeyword("NULLS")) {
            if (acceptKeyword("FIRST")) {
                nullsFirst = true;
            } else {
                keyword("LAST");
                nullsFirst = false;
            }
        }
        return new Ordering(field, descending, nullsFirst);
    }

    private int count() {
        Token n = expect(Type.NUMBER);
        if (!n.text.matches("\\d{1,9}")) {
            throw unexpected(n);
        }
        return Integer.parseInt(n.text);
    }

    private void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw error(soql, at.position, "MALFORMED_QUERY", "unexpected token: ( (nested more than " + MAX_DEPTH
                    + " levels deep)");
        }
    }

    // ---- token helpers

    private Token peek() {
        return tokens.get(next);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private boolean accept(Type type) {
        if (peek().type == type) {
            next++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().is(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private void keyword(String keyword) {
        if (!acceptKeyword(keyword)) {
            throw unexpected(peek());
        }
    }

    private Token expect(Type type) {
        Token token = peek();
        if (token.type != type) {
            throw unexpected(token);
        }
        next++;
        return token;
    }

    private List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                i = string(text, i, out);
            } else if (Character.isDigit(c) || (c == '-' || c == '+') && i + 1 < text.length()
                    && Character.isDigit(text.charAt(i + 1))) {
                Matcher m = NUMBER_OR_DATE.matcher(text).region(i, text.length());
                m.lookingAt();
                Type type = m.group(1) != null ? Type.DATETIME : m.group(2) != null ? Type.DATE : Type.NUMBER;
                out.add(new Token(type, m.group(), i));
                i = m.end();
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Type.IDENT, text.substring(start, i), start));
            } else if ("=!<>".indexOf(c) >= 0) {
                String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                String op = List.of("!=", "<>", "<=", ">=").contains(two) ? two : String.valueOf(c);
                if (op.equals("!")) {
                    throw error(text, i, "MALFORMED_QUERY", "unexpected token: !");
                }
                out.add(new Token(Type.OPERATOR, op, i));
                i += op.length();
            } else {
                Type type = switch (c) {
                    case '(' -> Type.LPAREN;
                    case ')' -> Type.RPAREN;
                    case ',' -> Type.COMMA;
                    case '.' -> Type.DOT;
                    case ':' -> Type.COLON;
                    default -> throw error(text, i, "MALFORMED_QUERY", "unexpected token: " + c);
                };
                out.add(new Token(type, String.valueOf(c), i));
                i++;
            }
        }
        out.add(new Token(Type.EOF, "", text.length()));
        return out;
    }

    /** A quoted string with SOQL's escapes (\' \" \\ \n \r \t \b \f \% \_); returns the index after it. */
    private static int string(String text, int start, List<Token> out) {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'') {
                out.add(new Token(Type.STRING, value.toString(), start));
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= text.length()) {
                    break;
                }
                char e = text.charAt(i + 1);
                switch (e) {
                    case '\'', '"', '\\' -> value.append(e);
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case '%' -> value.append(ESCAPED_PERCENT);
                    case '_' -> value.append(ESCAPED_UNDERSCORE);
                    default -> throw error(text, i, "MALFORMED_QUERY", "Invalid string literal '" + text.substring(start,
                            Math.min(text.length(), i + 2)) + "'. Illegal character sequence '\\" + e + "' in string literal.");
                }
                i += 2;
            } else {
                value.append(c);
                i++;
            }
        }
        throw error(text, start, "MALFORMED_QUERY", "unexpected token: '" + text.substring(start)
                + "' (unterminated string literal)");
    }
}
