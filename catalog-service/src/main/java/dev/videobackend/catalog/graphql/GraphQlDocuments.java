package dev.videobackend.catalog.graphql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operation a GET request selects, found before it runs: GET may not carry a mutation, and SmallRye's GET
 * handler cannot take an operation name, so a document with several operations is cut down to the chosen one.
 * Documents are parsed once and remembered.
 */
@ApplicationScoped
class GraphQlDocuments {

    private static final long MAX_REMEMBERED_CHARACTERS = 2 * 1024 * 1024;

    /** What a request selects: its operation's type and a document holding only that operation. */
    record Selected(OperationDefinition.Operation type, String document) {
    }

    /** The outcome of selecting: {@code selected}, or why nothing is ({@code null} when SmallRye should say). */
    record Selection(Selected selected, String refusal) {
    }

    private final Cache<String, Selection> selections = Caffeine.newBuilder()
            .maximumWeight(MAX_REMEMBERED_CHARACTERS)
            .weigher((String key, Selection selection) -> key.length())
            .build();

    Selection select(String document, String operationName) {
        return selections.get(document + '\u0000' + Objects.requireNonNullElse(operationName, ""),
                key -> parseAndSelect(document, operationName));
    }

    private static Selection parseAndSelect(String text, String operationName) {
        Document document;
        try {
            document = Parser.parse(text);
        } catch (InvalidSyntaxException e) {
            // SmallRye answers a document that does not parse with the parser's own message.
            return new Selection(null, null);
        }
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        OperationDefinition chosen = null;
        for (OperationDefinition operation : operations) {
            if (operationName == null ? operations.size() == 1 : operationName.equals(operation.getName())) {
                chosen = operation;
            }
        }
        if (chosen == null) {
            return new Selection(null, operationName == null
                    ? "The document has several operations: name the one to run with operationName"
                    : "The document has no operation named " + operationName);
        }
        if (operations.size() == 1) {
            return new Selection(new Selected(chosen.getOperation(), text), null);
        }
        List<Definition> kept = new ArrayList<>();
        kept.add(chosen);
        kept.addAll(document.getDefinitionsOfType(FragmentDefinition.class));
        String alone = AstPrinter.printAst(Document.newDocument().definitions(kept).build());
        return new Selection(new Selected(chosen.getOperation(), alone), null);
    }
}
