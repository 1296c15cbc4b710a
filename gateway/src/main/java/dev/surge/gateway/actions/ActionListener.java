package dev.surge.gateway.actions;

/**
 * Told about every action done, refused or failed (not about a retry answered from its stored answer). Must return
 * at once and never fail: it runs on the request's thread, and what it does (business notifications) must not delay
 * or break the action.
 */
public interface ActionListener {

    void acted(ActionEvent event);
}
