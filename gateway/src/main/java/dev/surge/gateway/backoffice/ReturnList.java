package dev.surge.gateway.backoffice;

import java.util.List;

/** A customer's returns, newest first. */
public record ReturnList(List<ReturnAuthorization> returns) {

    public ReturnList {
        returns = List.copyOf(returns);
    }
}
