package dev.surge.gateway.backoffice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.surge.gateway.DemoOrders;
import dev.surge.gateway.DemoOrders.Found;
import dev.surge.gateway.SimulatorControl;

/**
 * The back-office client's write side against the simulator over real HTTP: each rule refused with its status and
 * stable problem type, the Idempotency-Key making a retry (also 20 at once, also after a lost answer) one change in
 * the back office's own count, writes never retried, and preferences guarded by their version. Orders are found by
 * what their eligibility says, as an app finds its buttons, among customers no other test touches.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class BackOfficeWritesIntegrationTests {

    /** Each search starts at a customer no earlier search (nor another test class) looked at. */
    private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger(95_000);

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TYPE = BackOfficeProblem.TYPE_PREFIX;
    

    @Autowired
    BackOfficeClient backOffice;

    private DemoOrders orders;

    @org.junit.jupiter.api.BeforeEach
    void finder() {
        orders = new DemoOrders(backOffice, NEXT_CUSTOMER);
    }

    @Autowired
    WebTestClient client;


    @AfterEach
    void heal() {
        SimulatorControl.heal(client);
    }

    private Found find(Predicate<Found> wanted) {
        return orders.find(wanted);
    }

    private static ReturnableLine returnable(Found found) {
        return found.returnable();
    }

    private static ReturnRequest returnOf(String sku, int quantity) {
        return new ReturnRequest(List.of(new LineQuantity(sku, quantity)), ReturnReason.DAMAGED, "dented");
    }

    private static BackOfficeException refused(Mono<?> call, int status, String slug) {
        BackOfficeException e = catchThrowableOfType(BackOfficeException.class, () -> call.block(WAIT));
        assertThat(e).as("refused with %s", slug).isNotNull();
        assertThat(e.kind()).isEqualTo(BackOfficeException.Kind.REFUSED);
        assertThat(e.problem().status()).isEqualTo(status);
        assertThat(e.problem().type()).hasToString(TYPE + slug);
        // What the gateway would show: the same status and slug, in Surge's words.
        assertThat(e.getStatusCode().value()).isEqualTo(status);
        assertThat(e.getBody().getType()).hasToString("https://surge.dev/problems/" + slug);
        assertThat(e.getBody().getDetail()).isNotBlank();
        return e;
    }

    @Test
    void aReturnIsMadeOnceAndARetryWithItsKeyGetsTheSameRma() {
        Found found = find(f -> f.actions().returns().allowed());
        ReturnableLine line = returnable(found);
        long applied = SimulatorControl.writes(client, "returns", "applied");
        long replayed = SimulatorControl.writes(client, "returns", "replayed");
        long posts = SimulatorControl.callsByMethod(client, "returns", "POST");
        String key = UUID.randomUUID().toString();

        ReturnAuthorization rma = backOffice.createReturn(found.customer(), found.order().id(),
                returnOf(line.sku(), 1), key).block(WAIT);
        assertThat(rma.orderId()).isEqualTo(found.order().id());
        assertThat(rma.customerId()).isEqualTo(found.customer());
        assertThat(rma.status()).isEqualTo(ReturnStatus.AWAITING_PARCEL);
        assertThat(rma.lines()).extracting(ReturnedLine::sku, ReturnedLine::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(line.sku(), 1));
        assertThat(rma.refund().amount()).isEqualByComparingTo(line.unitPrice());
        assertThat(rma.refund().method()).isEqualTo(found.actions().returns().refundMethod());
        assertThat(rma.shipBy()).isAfter(rma.createdAt().atZone(java.time.ZoneOffset.UTC).toLocalDate());
        assertThat(rma.labelUrl().getScheme()).isEqualTo("https");

        ReturnAuthorization again = backOffice.createReturn(found.customer(), found.order().id(),
                returnOf(line.sku(), 1), key).block(WAIT);
        assertThat(again).isEqualTo(rma);
        assertThat(SimulatorControl.callsByMethod(client, "returns", "POST") - posts).isEqualTo(2);
        assertThat(SimulatorControl.writes(client, "returns", "applied") - applied).isEqualTo(1);
        assertThat(SimulatorControl.writes(client, "returns", "replayed") - replayed).isEqualTo(1);

        assertThat(backOffice.returns(found.customer()).block(WAIT).returns()).contains(rma);
        assertThat(backOffice.returnAuthorization(found.customer(), rma.rma()).block(WAIT)).isEqualTo(rma);
        ReturnableLine after = backOffice.orderActions(found.customer(), found.order().id()).block(WAIT).returns()
                .lines().stream().filter(l -> l.sku().equals(line.sku())).findFirst().orElseThrow();
        assertThat(after.returnable()).isEqualTo(line.returnable() - 1);
        refused(backOffice.createReturn(found.customer(), found.order().id(), returnOf(line.sku(), 2), key), 422,
                "idempotency-key-reused");
    }

    @Test
    void twentyConcurrentRetriesWithOneKeyMakeOneReturn() {
        Found found = find(f -> f.actions().returns().allowed());
        ReturnableLine line = returnable(found);
        long applied = SimulatorControl.writes(client, "returns", "applied");
        String key = UUID.randomUUID().toString();
        List<ReturnAuthorization> answers = Flux.range(0, 20)
                .flatMap(i -> backOffice.createReturn(found.customer(), found.order().id(), returnOf(line.sku(), 1),
                        key), 20)
                .collectList().block(WAIT);
        assertThat(answers).hasSize(20);
        assertThat(answers).containsOnly(answers.get(0));
        assertThat(SimulatorControl.writes(client, "returns", "applied") - applied).isEqualTo(1);
        assertThat(backOffice.returns(found.customer()).block(WAIT).returns())
                .filteredOn(r -> r.orderId().equals(found.order().id())).hasSize(1);
    }

    @Test
    void eachRuleViolatedIsRefusedWithItsStatusAndType() {
        Found shipped = find(f -> f.order().status() == OrderStatus.SHIPPED);
        String sku = shipped.actions().returns().lines().get(0).sku();
        assertThat(refused(backOffice.createReturn(shipped.customer(), shipped.order().id(), returnOf(sku, 1), key()),
                409, "order-not-delivered").problem().refusal()).isEqualTo(Refusal.ORDER_NOT_DELIVERED);
        refused(backOffice.cancelOrder(shipped.customer(), shipped.order().id(), CancellationRequest.wholeOrder(),
                key()), 409, "order-shipped");

        Found closed = find(f -> f.actions().returns().reason() == Refusal.RETURN_WINDOW_CLOSED);
        refused(backOffice.createReturn(closed.customer(), closed.order().id(),
                returnOf(closed.actions().returns().lines().get(0).sku(), 1), key()), 422, "return-window-closed");

        Found sale = find(f -> f.actions().returns().allowed()
                && f.actions().returns().lines().stream().anyMatch(l -> l.reason() == Refusal.FINAL_SALE));
        String saleSku = sale.actions().returns().lines().stream().filter(l -> l.reason() == Refusal.FINAL_SALE)
                .findFirst().orElseThrow().sku();
        refused(backOffice.createReturn(sale.customer(), sale.order().id(), returnOf(saleSku, 1), key()), 422,
                "final-sale");

        Found open = find(f -> f.actions().returns().allowed());
        ReturnableLine line = returnable(open);
        refused(backOffice.createReturn(open.customer(), open.order().id(),
                returnOf(line.sku(), line.returnable() + 1), key()), 422, "nothing-left");

        BackOfficeException invalid = refused(backOffice.createReturn(open.customer(), open.order().id(),
                new ReturnRequest(List.of(new LineQuantity("SKU-99999", 0)), ReturnReason.OTHER, null), key()),
                400, "invalid-request");
        assertThat(invalid.problem().errors()).extracting(FieldError::field)
                .containsExactly("lines[0].sku", "lines[0].quantity");
        assertThat(invalid.getBody().getProperties()).containsKey("errors");

        // Another customer's order answers exactly like a missing one.
        String other = orders.nextCustomer();
        BackOfficeException notFound = catchThrowableOfType(BackOfficeException.class, () -> backOffice
                .createReturn(other, open.order().id(), returnOf(line.sku(), 1), key()).block(WAIT));
        assertThat(notFound.kind()).isEqualTo(BackOfficeException.Kind.NOT_FOUND);
        assertThat(notFound.dependency()).isEqualTo(BackOfficeDependency.RETURNS);
    }

    @Test
    void anAddressIsCheckedAndChangedBeforeShippingAndTheOrderReadShowsIt() {
        Found open = find(f -> f.actions().addressChange().allowed());
        BackOfficeException invalid = refused(backOffice.changeDeliveryAddress(open.customer(), open.order().id(),
                new Address("Kim Lee", "Rue de la Paix 1", "7500", "Paris", "FX"), key()), 400, "invalid-request");
        assertThat(invalid.problem().errors()).extracting(FieldError::field).containsExactly("country");
        Address address = new Address("Kim Lee", "Rue de la Paix 1", "75002", "Paris", "FR");
        AddressChange changed = backOffice.changeDeliveryAddress(open.customer(), open.order().id(), address, key())
                .block(WAIT);
        assertThat(changed.deliveryAddress()).isEqualTo(address);
        assertThat(backOffice.order(open.customer(), open.order().id()).block(WAIT).deliveryAddress())
                .isEqualTo(address);
    }

    @Test
    void aCancellationWhoseAnswerIsLostIsOutcomeUnknownAndItsRetryTellsWithoutASecondChange() {
        Found open = find(f -> f.actions().cancellation().allowed());
        SimulatorControl.faults(client, "{\"endpoints\":{\"cancellation:POST\":{\"latencyMs\":4000,"
                + "\"afterApply\":true}}}");
        long applied = SimulatorControl.writes(client, "cancellation", "applied");
        String key = key();
        BackOfficeException lost = catchThrowableOfType(BackOfficeException.class, () -> backOffice
                .cancelOrder(open.customer(), open.order().id(), CancellationRequest.wholeOrder(), key).block(WAIT));
        assertThat(lost.kind()).isEqualTo(BackOfficeException.Kind.OUTCOME_UNKNOWN);
        assertThat(lost.getStatusCode().value()).isEqualTo(504);
        assertThat(lost.getBody().getType()).hasToString("https://surge.dev/problems/backoffice-outcome-unknown");
        assertThat(SimulatorControl.writes(client, "cancellation", "applied") - applied).isEqualTo(1);

        SimulatorControl.heal(client);
        Cancellation retried = backOffice.cancelOrder(open.customer(), open.order().id(),
                CancellationRequest.wholeOrder(), key).block(WAIT);
        assertThat(retried.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(SimulatorControl.writes(client, "cancellation", "applied") - applied).isEqualTo(1);
        assertThat(backOffice.order(open.customer(), open.order().id()).block(WAIT).status())
                .isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void aWriteTheBackOfficeFailedIsUnavailableAndNeverRetried() {
        Found open = find(f -> f.actions().cancellation().allowed());
        SimulatorControl.faults(client, "{\"writes\":{\"failNext\":1}}");
        long posts = SimulatorControl.callsByMethod(client, "cancellation", "POST");
        String key = key();
        BackOfficeException failed = catchThrowableOfType(BackOfficeException.class, () -> backOffice
                .cancelOrder(open.customer(), open.order().id(), CancellationRequest.wholeOrder(), key).block(WAIT));
        assertThat(failed.kind()).as("a 503 says: not made").isEqualTo(BackOfficeException.Kind.UNAVAILABLE);
        assertThat(SimulatorControl.callsByMethod(client, "cancellation", "POST") - posts).isEqualTo(1);
        assertThat(backOffice.order(open.customer(), open.order().id()).block(WAIT).status())
                .isEqualTo(open.order().status());
        assertThat(backOffice.cancelOrder(open.customer(), open.order().id(), CancellationRequest.wholeOrder(), key)
                .block(WAIT).status()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void preferencesAreReplacedAtTheVersionReadAndOtherwiseRefusedWith412() {
        String customer = orders.nextCustomer();
        Versioned<ContactPreferences> read = backOffice.contactPreferences(customer).block(WAIT);
        ContactPreferences wanted = new ContactPreferences(List.of(ContactChannel.SMS, ContactChannel.EMAIL),
                new OptIns(true, false, true), "fr",
                new QuietHours(java.time.LocalTime.of(22, 0), java.time.LocalTime.of(7, 30), "Europe/Paris"));
        Versioned<ContactPreferences> replaced = backOffice.replaceContactPreferences(customer, wanted, read.etag(),
                key()).block(WAIT);
        assertThat(replaced.value()).isEqualTo(wanted);
        assertThat(replaced.etag()).isNotEqualTo(read.etag());
        assertThat(backOffice.contactPreferences(customer).block(WAIT)).isEqualTo(replaced);
        refused(backOffice.replaceContactPreferences(customer, read.value(), read.etag(), key()), 412,
                "version-mismatch");
        assertThat(backOffice.contactPreferences(customer).block(WAIT).value()).isEqualTo(wanted);
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
