package dev.surge.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.surge.gateway.MutableClock;
import dev.surge.gateway.backoffice.Order;
import dev.surge.gateway.backoffice.OrderActions;
import dev.surge.gateway.backoffice.OrderStatus;
import dev.surge.gateway.backoffice.ReturnableLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated back office without HTTP: every rule's status and problem type, the Idempotency-Key (replay, reuse,
 * 20 racing retries making one change) and the preferences' versions. Orders are found in the generated data by
 * what they allow, as an app would.
 */
class DemoBackOfficeTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TYPE = "https://surge.dev/backoffice/problems/";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    private final DemoData data = new DemoData(42, 100_000, 5_000, clock);
    private final ActionRules rules = new ActionRules(Duration.ofDays(30));
    private final DemoBackOffice backOffice = new DemoBackOffice(data, new ChangeLedger(100), rules, clock,
            Duration.ofHours(24), JSON);

    record Found(String customer, Order order, OrderActions actions) {
    }

    /** The first order among the demo's customers whose actions match. */
    private Found find(Predicate<Found> wanted) {
        for (int n = 1; n <= 400; n++) {
            String customer = "c" + n;
            for (var summary : data.orders(customer, null, 50).orElseThrow().orders()) {
                Order order = data.order(customer, summary.id()).orElseThrow();
                Found found = new Found(customer, order, rules.eligibility(order, OrderChange.NONE, clock.instant()));
                if (wanted.test(found)) {
                    return found;
                }
            }
        }
        throw new AssertionError("no such order among c1..c400");
    }

    private static ReturnableLine returnable(Found found) {
        return found.actions().returns().lines().stream().filter(l -> l.returnable() > 0).findFirst().orElseThrow();
    }

    private static WriteCall call(String method, String path, @Nullable String key, @Nullable String ifMatch,
                                  String body) {
        return new WriteCall(method, path, key, ifMatch, JSON.readTree(body));
    }

    private static JsonNode json(Answer answer) {
        return JSON.readTree(answer.body());
    }

    private static void assertProblem(Answer answer, int status, String slug) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(json(answer).get("type").asString()).isEqualTo(TYPE + slug);
    }

    private DemoBackOffice.Result returnLine(Found found, String sku, int quantity, String key) {
        return backOffice.createReturn(found.customer(), found.order().id(), call("POST", "/r", key, null,
                "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}],\"reason\":\"damaged\"}"));
    }

    @Test
    void aReturnIsAuthorisedOnceAndARepeatOfItsKeyGetsTheSameAnswer() {
        Found found = find(f -> f.actions().returns().allowed());
        ReturnableLine line = returnable(found);
        DemoBackOffice.Result first = returnLine(found, line.sku(), 1, "k-1");
        assertThat(first.outcome()).isEqualTo(DemoBackOffice.Outcome.APPLIED);
        assertThat(first.answer().status()).isEqualTo(201);
        JsonNode rma = json(first.answer());
        assertThat(rma.get("rma").asString()).matches("R[0-9]{12}-1");
        assertThat(first.answer().headers()).containsEntry("Location",
                "/customers/" + found.customer() + "/returns/" + rma.get("rma").asString());
        assertThat(rma.get("status").asString()).isEqualTo("awaiting_parcel");
        assertThat(rma.get("refund").get("amount").decimalValue()).isEqualByComparingTo(line.unitPrice());
        assertThat(rma.get("shipBy").asString()).isEqualTo("2026-12-07");
        assertThat(rma.get("labelUrl").asString()).startsWith("https://");

        DemoBackOffice.Result again = returnLine(found, line.sku(), 1, "k-1");
        assertThat(again.outcome()).isEqualTo(DemoBackOffice.Outcome.REPLAYED);
        assertThat(again.answer().body()).isEqualTo(first.answer().body());
        OrderActions after = JSON.readValue(backOffice.eligibility(found.customer(), found.order().id()).body(),
                OrderActions.class);
        ReturnableLine now = after.returns().lines().stream().filter(l -> l.sku().equals(line.sku())).findFirst()
                .orElseThrow();
        assertThat(now.returned()).isEqualTo(line.returned() + 1);
        assertThat(now.returnable()).isEqualTo(line.returnable() - 1);

        assertProblem(returnLine(found, line.sku(), 2, "k-1").answer(), 422, "idempotency-key-reused");
        assertThat(json(backOffice.returns(found.customer())).get("returns").get(0).get("rma").asString())
                .isEqualTo(rma.get("rma").asString());
        assertThat(backOffice.returnAuthorization(found.customer(), rma.get("rma").asString()).status())
                .isEqualTo(200);
        assertProblem(backOffice.returnAuthorization("c999", rma.get("rma").asString()), 404, "not-found");
    }

    @Test
    void twentyConcurrentRetriesOfOneKeyMakeOneReturn() throws Exception {
        Found found = find(f -> f.actions().returns().allowed());
        ReturnableLine line = returnable(found);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<DemoBackOffice.Result>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return returnLine(found, line.sku(), 1, "race");
                }));
            }
            start.countDown();
            List<DemoBackOffice.Result> done = new ArrayList<>();
            for (Future<DemoBackOffice.Result> result : results) {
                done.add(result.get(10, TimeUnit.SECONDS));
            }
            assertThat(done).filteredOn(r -> r.outcome() == DemoBackOffice.Outcome.APPLIED).hasSize(1);
            assertThat(done).filteredOn(r -> r.outcome() == DemoBackOffice.Outcome.REPLAYED).hasSize(19);
            assertThat(done).extracting(r -> new String(r.answer().body(), StandardCharsets.UTF_8)).containsOnly(
                    new String(done.get(0).answer().body(), StandardCharsets.UTF_8));
            assertThat(json(backOffice.returns(found.customer())).get("returns").findValuesAsString("rma")
                    .stream().filter(rma -> rma.endsWith("-1") && rma.startsWith("R" + found.order().id()
                            .substring(1)))).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyReturnRuleHasItsStatusAndType() {
        Found notDelivered = find(f -> f.order().status() == OrderStatus.SHIPPED);
        assertProblem(returnLine(notDelivered, notDelivered.order().lines().get(0).sku(), 1, "a").answer(), 409,
                "order-not-delivered");
        Found closed = find(f -> f.order().status() == OrderStatus.DELIVERED && !f.actions().returns().allowed()
                && f.actions().returns().reason() == dev.surge.gateway.backoffice.Refusal.RETURN_WINDOW_CLOSED);
        assertProblem(returnLine(closed, closed.order().lines().get(0).sku(), 1, "b").answer(), 422,
                "return-window-closed");
        Found sale = find(f -> f.actions().returns().allowed() && f.actions().returns().lines().stream()
                .anyMatch(l -> l.reason() == dev.surge.gateway.backoffice.Refusal.FINAL_SALE));
        String saleSku = sale.actions().returns().lines().stream()
                .filter(l -> l.reason() == dev.surge.gateway.backoffice.Refusal.FINAL_SALE).findFirst().orElseThrow()
                .sku();
        Answer finalSale = returnLine(sale, saleSku, 1, "c").answer();
        assertProblem(finalSale, 422, "final-sale");
        assertThat(json(finalSale).get("reason").asString()).isEqualTo("final_sale");
        assertThat(json(finalSale).get("sku").asString()).isEqualTo(saleSku);
        Found open = find(f -> f.actions().returns().allowed());
        ReturnableLine line = returnable(open);
        assertProblem(returnLine(open, line.sku(), line.returnable() + 1, "d").answer(), 422, "nothing-left");
        Found cancelled = find(f -> f.order().status() == OrderStatus.CANCELLED);
        assertProblem(returnLine(cancelled, cancelled.order().lines().get(0).sku(), 1, "e").answer(), 409,
                "order-cancelled");
        assertProblem(backOffice.createReturn("c1", "O000000000000", call("POST", "/r", "f", null, "{}")).answer(),
                404, "not-found");
        // Another customer's order is as unknown as a missing one.
        String other = open.customer().equals("c1") ? "c2" : "c1";
        assertProblem(backOffice.createReturn(other, open.order().id(), call("POST", "/r", "g", null,
                "{\"lines\":[{\"sku\":\"" + line.sku() + "\",\"quantity\":1}],\"reason\":\"damaged\"}")).answer(),
                404, "not-found");
        // Nothing was made by any of them.
        assertThat(json(backOffice.returns(open.customer())).get("returns").findValuesAsString("rma"))
                .noneMatch(rma -> rma.startsWith("R" + open.order().id().substring(1) + "-"));
    }

    @Test
    void anInvalidRequestNamesEveryInvalidFieldAndAKeyIsRequired() {
        Found open = find(f -> f.actions().returns().allowed());
        Answer invalid = backOffice.createReturn(open.customer(), open.order().id(), call("POST", "/r", "k", null,
                "{\"lines\":[{\"sku\":\"SKU-99999\",\"quantity\":0}],\"reason\":\"bored\",\"comment\":7}")).answer();
        assertProblem(invalid, 400, "invalid-request");
        assertThat(json(invalid).get("errors").findValuesAsString("field"))
                .containsExactly("lines[0].sku", "lines[0].quantity", "reason", "comment");
        Answer noKey = backOffice.createReturn(open.customer(), open.order().id(),
                call("POST", "/r", null, null, "{}")).answer();
        assertProblem(noKey, 400, "invalid-request");
        assertThat(json(noKey).get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
    }

    @Test
    void anUnshippedOrderIsCancelledLineByLineThenWholeAndAShippedOneIsNot() {
        Found open = find(f -> f.actions().cancellation().allowed() && f.order().lines().size() >= 2);
        String id = open.order().id();
        var first = open.order().lines().get(0);
        Answer partial = backOffice.cancel(open.customer(), id, call("POST", "/c", "c-1", null,
                "{\"lines\":[{\"sku\":\"" + first.sku() + "\",\"quantity\":" + first.quantity() + "}]}")).answer();
        assertThat(partial.status()).as(partial.toString()).isEqualTo(200);
        assertThat(json(partial).get("status").asString()).isEqualTo(open.order().status().name().toLowerCase());
        assertThat(backOffice.order(open.customer(), id).orElseThrow().lines()).noneMatch(
                l -> l.sku().equals(first.sku()));
        Answer rest = backOffice.cancel(open.customer(), id, call("POST", "/c", "c-2", null, "{}")).answer();
        assertThat(json(rest).get("status").asString()).isEqualTo("cancelled");
        assertThat(backOffice.order(open.customer(), id).orElseThrow().status()).isEqualTo(OrderStatus.CANCELLED);
        assertProblem(backOffice.cancel(open.customer(), id, call("POST", "/c", "c-3", null, "{}")).answer(), 409,
                "order-cancelled");
        Found shipped = find(f -> f.order().status() == OrderStatus.SHIPPED);
        assertProblem(backOffice.cancel(shipped.customer(), shipped.order().id(), call("POST", "/c", "c-4", null,
                "{}")).answer(), 409, "order-shipped");
    }

    @Test
    void anAddressIsCheckedThenChangedBeforeShippingOnly() {
        Found open = find(f -> f.actions().addressChange().allowed());
        Answer invalid = backOffice.changeAddress(open.customer(), open.order().id(), call("PUT", "/a", "a-1", null,
                "{\"name\":\"Kim\",\"street\":\"Hauptstrasse 1\",\"postalCode\":\"1011\",\"country\":\"DE\"}"))
                .answer();
        assertProblem(invalid, 400, "invalid-request");
        assertThat(json(invalid).get("errors").findValuesAsString("field")).containsExactly("city", "postalCode");
        String address = "{\"name\":\"Kim\",\"street\":\"Hauptstrasse 1\",\"postalCode\":\"10115\","
                + "\"city\":\"Berlin\",\"country\":\"DE\"}";
        Answer changed = backOffice.changeAddress(open.customer(), open.order().id(),
                call("PUT", "/a", "a-2", null, address)).answer();
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(backOffice.order(open.customer(), open.order().id()).orElseThrow().deliveryAddress().city())
                .isEqualTo("Berlin");
        Found shipped = find(f -> f.order().status() == OrderStatus.DELIVERED);
        assertProblem(backOffice.changeAddress(shipped.customer(), shipped.order().id(),
                call("PUT", "/a", "a-3", null, address)).answer(), 409, "order-shipped");
    }

    @Test
    void preferencesAreReplacedOnlyAtTheVersionReadElse412() {
        Answer read = backOffice.preferences("c42");
        assertThat(read.headers()).containsEntry("ETag", "\"p1\"");
        String body = "{\"channels\":[\"sms\",\"email\"],\"optIns\":{\"orderUpdates\":true,\"marketing\":false,"
                + "\"surveys\":false},\"language\":\"de\",\"quietHours\":{\"start\":\"22:00\",\"end\":\"07:00\","
                + "\"timeZone\":\"Europe/Berlin\"}}";
        assertProblem(backOffice.replacePreferences("c42", call("PUT", "/p", "p-0", null, body)).answer(), 428,
                "precondition-required");
        Answer replaced = backOffice.replacePreferences("c42", call("PUT", "/p", "p-1", "\"p1\"", body)).answer();
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.headers()).containsEntry("ETag", "\"p2\"");
        assertThat(json(backOffice.preferences("c42")).get("channels").get(0).asString()).isEqualTo("sms");
        assertProblem(backOffice.replacePreferences("c42", call("PUT", "/p", "p-2", "\"p1\"", body)).answer(), 412,
                "version-mismatch");
        Answer invalid = backOffice.replacePreferences("c42", call("PUT", "/p", "p-3", "\"p2\"",
                "{\"channels\":[],\"optIns\":{\"marketing\":true},\"language\":\"xx\"}")).answer();
        assertProblem(invalid, 400, "invalid-request");
        assertThat(json(invalid).get("errors").findValuesAsString("field"))
                .containsExactly("channels", "optIns.orderUpdates", "optIns.surveys", "language");
    }

    @Test
    void aReturnMovesOnWithTheClockAndAFullyReturnedOrderIsReturned() {
        Found open = find(f -> f.actions().returns().allowed() && f.actions().returns().lines().stream()
                .noneMatch(l -> l.reason() != null));
        StringBuilder lines = new StringBuilder();
        for (ReturnableLine line : open.actions().returns().lines()) {
            lines.append(lines.isEmpty() ? "" : ",").append("{\"sku\":\"").append(line.sku())
                    .append("\",\"quantity\":").append(line.returnable()).append('}');
        }
        Answer created = backOffice.createReturn(open.customer(), open.order().id(), call("POST", "/r", "all", null,
                "{\"lines\":[" + lines + "],\"reason\":\"no_longer_needed\"}")).answer();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(backOffice.order(open.customer(), open.order().id()).orElseThrow().status())
                .isEqualTo(OrderStatus.RETURNED);
        String rma = json(created).get("rma").asString();
        clock.advance(Duration.ofDays(1));
        assertThat(json(backOffice.returnAuthorization(open.customer(), rma)).get("status").asString())
                .isEqualTo("in_transit");
        clock.advance(Duration.ofDays(4));
        JsonNode refunded = json(backOffice.returnAuthorization(open.customer(), rma));
        assertThat(refunded.get("status").asString()).isEqualTo("refunded");
        assertThat(refunded.get("history").findValuesAsString("status"))
                .containsExactly("awaiting_parcel", "in_transit", "received", "refunded");
    }
}
