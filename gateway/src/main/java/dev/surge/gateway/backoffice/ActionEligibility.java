package dev.surge.gateway.backoffice;

import org.jspecify.annotations.Nullable;

/** Whether an action (cancel, change the delivery address) is possible now, and if not, why. */
public record ActionEligibility(boolean allowed, @Nullable Refusal reason) {

    public static ActionEligibility allowedNow() {
        return new ActionEligibility(true, null);
    }

    public static ActionEligibility refused(Refusal reason) {
        return new ActionEligibility(false, reason);
    }
}
