package dev.surge.gateway.backoffice;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a customer wants to be reached: channels in order of preference (at least one), opt-ins, language (a
 * supported BCP 47 tag: en, de, fr, es, it, nl, pl, sv) and quiet hours (null: none).
 */
public record ContactPreferences(List<ContactChannel> channels, OptIns optIns, String language,
                                 @Nullable QuietHours quietHours) {

    public ContactPreferences {
        channels = List.copyOf(channels);
    }
}
