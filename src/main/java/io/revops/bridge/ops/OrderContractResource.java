package io.revops.bridge.ops;

import java.util.Map;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "Where does order 00012345 stand": the whole contract as Salesforce, the ERP and billing hold it now. */
@Path("/api/v1/orders")
@Tag(name = "Orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderContractResource {
    /** Salesforce order numbers are digits; anything else a SOQL literal or a Kill Bill key could be is refused. */
    private static final Pattern ORDER_NUMBER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,79}");

    @Inject
    OrderContracts contracts;

    @GET
    @Path("{orderNumber}")
    @RolesAllowed("viewer")
    @Operation(summary = "The order and every change to it, as each system of record holds them, with their lineage")
    public Map<String, Object> contract(@PathParam("orderNumber") String orderNumber) {
        if (!ORDER_NUMBER.matcher(orderNumber).matches()) {
            throw ProblemException.badRequest("not an order number: letters, digits, - and _ only, at most 80");
        }
        return contracts.of(orderNumber).orElseThrow(() -> new ProblemException(404, "not-found",
                "no order " + orderNumber + " in Salesforce, the ERP or the runtime's records"));
    }
}
