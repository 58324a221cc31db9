package io.revops.bridge.mapping;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;

import org.apache.camel.Predicate;

/**
 * The "is this event for me" filters of the routes that apply a {@link ChangeSet}, as predicates the routes reference
 * by name (language ref). Written as simple OGNL ({@code ${body.applicable}}) they built a bean expression for every
 * event on every consumer: 3% of the runtime's CPU under the account benchmark (JFR, issue 15).
 */
@ApplicationScoped
public class ChangeSetPredicates {

    /** The target has something to do: the source owns some of the changes, or it is a lifecycle change. */
    @Produces
    @Named("applicableChange")
    public Predicate applicableChange() {
        return exchange -> exchange.getMessage().getBody(ChangeSet.class).applicable();
    }

    /** As {@link #applicableChange}, but not a deletion (billing keeps a deleted account's history: nothing to apply). */
    @Produces
    @Named("applicableChangeNotDeletion")
    public Predicate applicableChangeNotDeletion() {
        return exchange -> {
            ChangeSet changes = exchange.getMessage().getBody(ChangeSet.class);
            return changes.applicable() && !"deleted".equals(changes.lifecycle());
        };
    }
}
