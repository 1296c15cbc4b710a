package dev.surge.gateway.demo;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.CancellationRequest;
import dev.surge.gateway.backoffice.ContactChannel;
import dev.surge.gateway.backoffice.ContactPreferences;
import dev.surge.gateway.backoffice.FieldError;
import dev.surge.gateway.backoffice.LineQuantity;
import dev.surge.gateway.backoffice.OptIns;
import dev.surge.gateway.backoffice.Order;
import dev.surge.gateway.backoffice.OrderLine;
import dev.surge.gateway.backoffice.QuietHours;
import dev.surge.gateway.backoffice.ReturnReason;
import dev.surge.gateway.backoffice.ReturnRequest;
import tools.jackson.databind.JsonNode;

/**
 * Reads write requests from JSON the way the contract states them, naming every invalid field (one complaint per
 * field) instead of failing on the first: a request is either parsed whole or refused with all its errors.
 */
final class WriteRequests {

    static final int MAX_LINES = 50;
    static final int MAX_QUANTITY = 1000;
    static final int MAX_COMMENT = 500;
    static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it", "nl", "pl", "sv");

    private WriteRequests() {
    }

    static @Nullable ReturnRequest returnRequest(JsonNode body, Order order, List<FieldError> errors) {
        if (!object(body, errors)) {
            return null;
        }
        List<LineQuantity> lines = lines(body.get("lines"), order, true, errors);
        ReturnReason reason = null;
        JsonNode reasonNode = body.get("reason");
        if (reasonNode == null || reasonNode.isNull()) {
            errors.add(new FieldError("reason", "reason is required: one of " + wireNames(ReturnReason.class) + "."));
        } else {
            reason = reasonNode.isString() ? wire(ReturnReason.class, reasonNode.asString()) : null;
            if (reason == null) {
                errors.add(new FieldError("reason", "reason must be one of " + wireNames(ReturnReason.class) + "."));
            }
        }
        String comment = null;
        JsonNode commentNode = body.get("comment");
        if (commentNode != null && !commentNode.isNull()) {
            if (!commentNode.isString() || commentNode.asString().length() > MAX_COMMENT) {
                errors.add(new FieldError("comment", "comment must be a string of at most " + MAX_COMMENT
                        + " characters."));
            } else {
                comment = commentNode.asString();
            }
        }
        return errors.isEmpty() && lines != null && reason != null ? new ReturnRequest(lines, reason, comment) : null;
    }

    static @Nullable CancellationRequest cancellationRequest(JsonNode body, Order order, List<FieldError> errors) {
        if (!object(body, errors)) {
            return null;
        }
        JsonNode linesNode = body.get("lines");
        if (linesNode == null || linesNode.isNull() || (linesNode.isArray() && linesNode.isEmpty())) {
            return CancellationRequest.wholeOrder();
        }
        List<LineQuantity> lines = lines(linesNode, order, false, errors);
        return errors.isEmpty() && lines != null ? new CancellationRequest(lines) : null;
    }

    static @Nullable ContactPreferences preferences(JsonNode body, List<FieldError> errors) {
        if (!object(body, errors)) {
            return null;
        }
        List<ContactChannel> channels = new ArrayList<>();
        JsonNode channelsNode = body.get("channels");
        if (channelsNode == null || !channelsNode.isArray() || channelsNode.isEmpty()) {
            errors.add(new FieldError("channels", "channels must be a non-empty list of "
                    + wireNames(ContactChannel.class) + ", most preferred first."));
        } else {
            Set<ContactChannel> seen = EnumSet.noneOf(ContactChannel.class);
            for (int i = 0; i < channelsNode.size(); i++) {
                JsonNode item = channelsNode.get(i);
                ContactChannel channel = item.isString() ? wire(ContactChannel.class, item.asString()) : null;
                if (channel == null) {
                    errors.add(new FieldError("channels[" + i + "]", "channels[" + i + "] must be one of "
                            + wireNames(ContactChannel.class) + "."));
                } else if (!seen.add(channel)) {
                    errors.add(new FieldError("channels[" + i + "]", "channels[" + i + "] is listed twice."));
                } else {
                    channels.add(channel);
                }
            }
        }
        OptIns optIns = null;
        JsonNode optInsNode = body.get("optIns");
        if (optInsNode == null || !optInsNode.isObject()) {
            errors.add(new FieldError("optIns", "optIns must be an object with orderUpdates, marketing and surveys."));
        } else {
            Boolean orderUpdates = bool(optInsNode, "optIns.", "orderUpdates", errors);
            Boolean marketing = bool(optInsNode, "optIns.", "marketing", errors);
            Boolean surveys = bool(optInsNode, "optIns.", "surveys", errors);
            if (orderUpdates != null && marketing != null && surveys != null) {
                optIns = new OptIns(orderUpdates, marketing, surveys);
            }
        }
        String language = null;
        JsonNode languageNode = body.get("language");
        if (languageNode == null || !languageNode.isString()
                || !LANGUAGES.contains(languageNode.asString().toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError("language", "language must be one of " + String.join(", ", LANGUAGES) + "."));
        } else {
            language = languageNode.asString().toLowerCase(Locale.ROOT);
        }
        QuietHours quietHours = quietHours(body.get("quietHours"), errors);
        return errors.isEmpty() && optIns != null && language != null
                ? new ContactPreferences(channels, optIns, language, quietHours) : null;
    }

    private static @Nullable QuietHours quietHours(@Nullable JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("quietHours", "quietHours must be an object with start, end and timeZone, "
                    + "or null."));
            return null;
        }
        LocalTime start = time(node, "start", errors);
        LocalTime end = time(node, "end", errors);
        ZoneId zone = null;
        JsonNode zoneNode = node.get("timeZone");
        try {
            zone = zoneNode != null && zoneNode.isString() ? ZoneId.of(zoneNode.asString()) : null;
        } catch (DateTimeException e) {
            zone = null;
        }
        if (zone == null) {
            errors.add(new FieldError("quietHours.timeZone", "quietHours.timeZone must be an IANA time zone such "
                    + "as Europe/Berlin."));
        }
        if (start != null && end != null && start.equals(end)) {
            errors.add(new FieldError("quietHours.end", "quietHours.end must differ from start."));
        }
        return start != null && end != null && zone != null && !start.equals(end)
                ? new QuietHours(start, end, zone.getId()) : null;
    }

    private static @Nullable LocalTime time(JsonNode node, String field, List<FieldError> errors) {
        JsonNode value = node.get(field);
        try {
            if (value != null && value.isString()) {
                return LocalTime.parse(value.asString());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(new FieldError("quietHours." + field, "quietHours." + field + " must be a time such as 22:00."));
        return null;
    }

    private static @Nullable Boolean bool(JsonNode node, String prefix, String field, List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            errors.add(new FieldError(prefix + field, prefix + field + " must be true or false."));
            return null;
        }
        return value.booleanValue();
    }

    /** Lines named by SKU, each a line of the order, each once, each with a quantity of at least 1. */
    private static @Nullable List<LineQuantity> lines(@Nullable JsonNode node, Order order, boolean required,
                                                      List<FieldError> errors) {
        if (node == null || node.isNull() || !node.isArray() || (required && node.isEmpty())
                || node.size() > MAX_LINES) {
            errors.add(new FieldError("lines", "lines must be a " + (required ? "non-empty " : "") + "list of at most "
                    + MAX_LINES + " {\"sku\", \"quantity\"}."));
            return null;
        }
        Set<String> skus = new HashSet<>();
        order.lines().stream().map(OrderLine::sku).forEach(skus::add);
        Set<String> seen = new HashSet<>();
        List<LineQuantity> lines = new ArrayList<>();
        int before = errors.size();
        for (int i = 0; i < node.size(); i++) {
            String at = "lines[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                errors.add(new FieldError(at, at + " must be an object with sku and quantity."));
                continue;
            }
            JsonNode sku = item.get("sku");
            JsonNode quantity = item.get("quantity");
            boolean skuOk = sku != null && sku.isString() && skus.contains(sku.asString());
            if (!skuOk) {
                errors.add(new FieldError(at + ".sku", at + ".sku must be the SKU of a line of this order."));
            } else if (!seen.add(sku.asString())) {
                errors.add(new FieldError(at + ".sku", at + ".sku is listed twice."));
                skuOk = false;
            }
            boolean quantityOk = quantity != null && quantity.isIntegralNumber() && quantity.canConvertToInt()
                    && quantity.intValue() >= 1 && quantity.intValue() <= MAX_QUANTITY;
            if (!quantityOk) {
                errors.add(new FieldError(at + ".quantity", at + ".quantity must be a whole number from 1 to "
                        + MAX_QUANTITY + "."));
            }
            if (skuOk && quantityOk) {
                lines.add(new LineQuantity(sku.asString(), quantity.intValue()));
            }
        }
        return errors.size() == before ? lines : null;
    }

    private static boolean object(JsonNode body, List<FieldError> errors) {
        if (!body.isObject()) {
            errors.add(new FieldError("", "The body must be a JSON object."));
            return false;
        }
        return true;
    }

    /** The constant whose JSON name ({@code @JsonProperty}, lowercase) is {@code name}, or null. */
    static <E extends Enum<E>> @Nullable E wire(Class<E> type, String name) {
        for (E constant : type.getEnumConstants()) {
            if (wireName(constant).equals(name)) {
                return constant;
            }
        }
        return null;
    }

    static String wireName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> String wireNames(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(wireName(constant));
        }
        return String.join(", ", names);
    }
}
