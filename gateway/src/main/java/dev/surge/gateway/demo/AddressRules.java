package dev.surge.gateway.demo;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.Address;
import dev.surge.gateway.backoffice.FieldError;
import tools.jackson.databind.JsonNode;

/**
 * The delivery addresses the demo shop ships to: every field required, the country an ISO 3166-1 alpha-2 code from
 * the supported list, the postal code in that country's format. Hand-written: a short table of the countries we
 * ship to is all a shop needs; Google's libaddressinput would bring the whole world's metadata (and fetches it over
 * the network by default) to check 14 patterns.
 */
final class AddressRules {

    static final int MAX_LENGTH = 100;

    /** Supported countries and their postal code formats (as the national posts publish them). */
    static final Map<String, Pattern> POSTAL_CODES = new TreeMap<>(Map.ofEntries(
            Map.entry("AT", Pattern.compile("[1-9][0-9]{3}")),
            Map.entry("BE", Pattern.compile("[1-9][0-9]{3}")),
            Map.entry("DE", Pattern.compile("[0-9]{5}")),
            Map.entry("DK", Pattern.compile("[1-9][0-9]{3}")),
            Map.entry("ES", Pattern.compile("(0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}")),
            Map.entry("FI", Pattern.compile("[0-9]{5}")),
            Map.entry("FR", Pattern.compile("[0-9]{5}")),
            Map.entry("IE", Pattern.compile("([AC-FHKNPRTV-Y][0-9]{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}")),
            Map.entry("IT", Pattern.compile("[0-9]{5}")),
            Map.entry("LU", Pattern.compile("(L-)?[0-9]{4}")),
            Map.entry("NL", Pattern.compile("[1-9][0-9]{3} ?[A-Z]{2}")),
            Map.entry("PL", Pattern.compile("[0-9]{2}-[0-9]{3}")),
            Map.entry("PT", Pattern.compile("[0-9]{4}-[0-9]{3}")),
            Map.entry("SE", Pattern.compile("[1-9][0-9]{2} ?[0-9]{2}"))));

    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());

    private AddressRules() {
    }

    /** The address, or null with every invalid field added to {@code errors}. */
    static @Nullable Address parse(JsonNode body, List<FieldError> errors) {
        if (!body.isObject()) {
            errors.add(new FieldError("", "The body must be a JSON object: an address."));
            return null;
        }
        String name = required(body, "name", errors);
        String street = required(body, "street", errors);
        String postalCode = required(body, "postalCode", errors);
        String city = required(body, "city", errors);
        String country = required(body, "country", errors);
        if (country != null) {
            if (!ISO_COUNTRIES.contains(country)) {
                errors.add(new FieldError("country", "country must be an ISO 3166-1 alpha-2 code such as DE."));
                country = null;
            } else if (!POSTAL_CODES.containsKey(country)) {
                errors.add(new FieldError("country", "We do not deliver to " + country + "; we deliver to "
                        + String.join(", ", POSTAL_CODES.keySet()) + "."));
                country = null;
            }
        }
        if (country != null && postalCode != null && !POSTAL_CODES.get(country).matcher(postalCode).matches()) {
            errors.add(new FieldError("postalCode", "postalCode is not a valid postal code for " + country + "."));
        }
        if (name == null || street == null || postalCode == null || city == null || country == null
                || !errors.isEmpty()) {
            return null;
        }
        return new Address(name, street, postalCode, city, country);
    }

    private static @Nullable String required(JsonNode body, String field, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            errors.add(new FieldError(field, field + " is required."));
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            errors.add(new FieldError(field, field + " must be a non-empty string."));
            return null;
        }
        String text = value.asString().strip();
        if (text.length() > MAX_LENGTH) {
            errors.add(new FieldError(field, field + " must be at most " + MAX_LENGTH + " characters."));
            return null;
        }
        return text;
    }
}
