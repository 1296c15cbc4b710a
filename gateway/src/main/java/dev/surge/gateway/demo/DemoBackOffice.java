package dev.surge.gateway.demo;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.Address;
import dev.surge.gateway.backoffice.AddressChange;
import dev.surge.gateway.backoffice.BackOfficeProblem;
import dev.surge.gateway.backoffice.Cancellation;
import dev.surge.gateway.backoffice.CancellationRequest;
import dev.surge.gateway.backoffice.ContactPreferences;
import dev.surge.gateway.backoffice.FieldError;
import dev.surge.gateway.backoffice.LineQuantity;
import dev.surge.gateway.backoffice.Order;
import dev.surge.gateway.backoffice.OrderLine;
import dev.surge.gateway.backoffice.OrderPage;
import dev.surge.gateway.backoffice.Refund;
import dev.surge.gateway.backoffice.ReturnAuthorization;
import dev.surge.gateway.backoffice.ReturnList;
import dev.surge.gateway.backoffice.ReturnRequest;
import dev.surge.gateway.backoffice.ReturnedLine;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated back office's behaviour behind its HTTP endpoints: the generated {@link DemoData} with what customers
 * changed ({@link ChangeLedger}) laid over it, the rules ({@link ActionRules}) and the Idempotency-Key. Every answer
 * is an {@link Answer} ready for the wire; nothing here does I/O, so it runs on the simulator's event loop.
 * <p>
 * A write, in order: 400 without a valid Idempotency-Key; 404 for an order that is not the customer's; the stored
 * answer when the key was used before for the same request (422 for another request); 400 naming every invalid
 * field; 409/422 when the order's state or a rule forbids it; then the change, made once and its answer stored under
 * the key for {@code idempotencyTtl}. Refusals are not stored: they changed nothing, so a repeat is checked again.
 */
final class DemoBackOffice {

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern RMA = Pattern.compile("R([0-9]{12})-([0-9]{1,4})");

    /** How a write ended, for the simulator's stats. */
    enum Outcome { APPLIED, REPLAYED, REFUSED }

    /** An answer and how the write ended (null for reads). */
    record Result(Answer answer, @Nullable Outcome outcome) {
    }

    private final DemoData data;
    private final ChangeLedger ledger;
    private final ActionRules rules;
    private final Clock clock;
    private final Duration idempotencyTtl;
    private final JsonMapper json;

    DemoBackOffice(DemoData data, ChangeLedger ledger, ActionRules rules, Clock clock, Duration idempotencyTtl,
                   JsonMapper json) {
        this.data = data;
        this.ledger = ledger;
        this.rules = rules;
        this.clock = clock;
        this.idempotencyTtl = idempotencyTtl;
        this.json = json;
    }

    // ---- reads of the generated data, as changed ----

    Optional<Order> order(String customerId, String orderId) {
        return data.order(customerId, orderId).map(order -> view(customerId, order));
    }

    Optional<OrderPage> orders(String customerId, @Nullable String after, int limit) {
        CustomerChanges changes = ledger.of(data.customerNumber(customerId));
        return data.orders(customerId, after, limit, order -> ActionRules.view(order, changes.order(order.id())));
    }

    private Order view(String customerId, Order generated) {
        return ActionRules.view(generated, ledger.of(data.customerNumber(customerId)).order(generated.id()));
    }

    Answer eligibility(String customerId, String orderId) {
        Optional<Order> generated = data.order(customerId, orderId);
        if (generated.isEmpty()) {
            return SimulatorProblems.notFound();
        }
        OrderChange change = ledger.of(data.customerNumber(customerId)).order(orderId);
        return ok(rules.eligibility(generated.get(), change, clock.instant()));
    }

    Answer returns(String customerId) {
        int n = data.customerNumber(customerId);
        if (n == 0) {
            return SimulatorProblems.notFound();
        }
        Instant now = clock.instant();
        List<ReturnAuthorization> all = new ArrayList<>();
        ledger.of(n).returns().forEach(stored -> all.add(ReturnViews.authorization(customerId, stored, now)));
        data.generatedReturns(n).forEach(generated -> all.add(ReturnViews.authorization(generated, now)));
        all.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return ok(new ReturnList(all));
    }

    Answer returnAuthorization(String customerId, String rma) {
        var matcher = RMA.matcher(rma);
        int n = data.customerNumber(customerId);
        if (!matcher.matches() || n == 0 || data.order(customerId, "O" + matcher.group(1)).isEmpty()) {
            return SimulatorProblems.notFound();
        }
        Instant now = clock.instant();
        for (CustomerChanges.StoredReturn stored : ledger.of(n).returns()) {
            if (stored.rma().equals(rma)) {
                return ok(ReturnViews.authorization(customerId, stored, now));
            }
        }
        return data.generatedReturns(n).stream().filter(g -> g.rma().equals(rma)).findFirst()
                .map(g -> ok(ReturnViews.authorization(g, now))).orElseGet(SimulatorProblems::notFound);
    }

    Answer preferences(String customerId) {
        int n = data.customerNumber(customerId);
        if (n == 0) {
            return SimulatorProblems.notFound();
        }
        CustomerChanges changes = ledger.of(n);
        return versioned(changes.preferences() != null ? changes.preferences() : data.preferences(n),
                changes.version(), 200);
    }

    // ---- writes ----

    Result createReturn(String customerId, String orderId, WriteCall call) {
        return orderWrite(customerId, orderId, call, (generated, changes, now) -> {
            List<FieldError> errors = new ArrayList<>();
            ReturnRequest request = WriteRequests.returnRequest(call.body(), generated, errors);
            if (request == null) {
                return refused(SimulatorProblems.invalid(errors), changes);
            }
            OrderChange change = changes.order(orderId);
            ActionRules.LineRefusal refusal = rules.checkReturn(generated, change, request.lines(), now);
            if (refusal != null) {
                return refused(SimulatorProblems.refusal(refusal), changes);
            }
            List<ReturnedLine> lines = new ArrayList<>();
            BigDecimal refund = BigDecimal.ZERO.setScale(2);
            for (LineQuantity wanted : request.lines()) {
                OrderLine line = line(generated, wanted.sku());
                BigDecimal amount = line.unitPrice().multiply(BigDecimal.valueOf(wanted.quantity()));
                lines.add(new ReturnedLine(line.sku(), line.description(), wanted.quantity(), amount));
                refund = refund.add(amount);
                change = change.returnQuantity(line.sku(), wanted.quantity());
            }
            if (allReturned(generated, change)) {
                change = change.returnedWhole(now);
            }
            long earlier = changes.returns().stream().filter(r -> r.orderId().equals(orderId)).count();
            CustomerChanges.StoredReturn stored = new CustomerChanges.StoredReturn(
                    "R" + orderId.substring(1) + "-" + (earlier + 1), orderId, now, request.reason(), lines,
                    new Refund(refund, generated.currency(), generated.paymentMethod()));
            ReturnAuthorization created = ReturnViews.authorization(customerId, stored, now);
            Answer answer = answer(201, Map.of("Location", "/customers/" + customerId + "/returns/" + created.rma()),
                    created);
            return new ChangeLedger.Update<>(answer, changes.withOrder(orderId, change).withReturn(stored));
        });
    }

    Result cancel(String customerId, String orderId, WriteCall call) {
        return orderWrite(customerId, orderId, call, (generated, changes, now) -> {
            List<FieldError> errors = new ArrayList<>();
            CancellationRequest request = WriteRequests.cancellationRequest(call.body(), generated, errors);
            if (request == null) {
                return refused(SimulatorProblems.invalid(errors), changes);
            }
            OrderChange change = changes.order(orderId);
            List<LineQuantity> wanted = request.lines();
            if (wanted.isEmpty()) { // everything not cancelled yet
                OrderChange before = change;
                wanted = generated.lines().stream()
                        .filter(l -> l.quantity() > before.cancelled(l.sku()))
                        .map(l -> new LineQuantity(l.sku(), l.quantity() - before.cancelled(l.sku()))).toList();
            }
            ActionRules.LineRefusal refusal = ActionRules.checkCancel(generated, change, wanted);
            if (refusal != null) {
                return refused(SimulatorProblems.refusal(refusal), changes);
            }
            BigDecimal value = BigDecimal.ZERO.setScale(2);
            for (LineQuantity line : wanted) {
                value = value.add(line(generated, line.sku()).unitPrice().multiply(BigDecimal.valueOf(line.quantity())));
                change = change.cancel(line.sku(), line.quantity());
            }
            OrderChange after = change;
            if (generated.lines().stream().allMatch(l -> after.cancelled(l.sku()) >= l.quantity())) {
                change = change.cancelledWhole(now);
            }
            Order current = ActionRules.view(generated, change);
            boolean paid = ActionRules.paid(generated);
            Refund refund = new Refund(paid ? value : BigDecimal.ZERO.setScale(2), generated.currency(),
                    paid ? generated.paymentMethod() : null);
            Cancellation done = new Cancellation(orderId, current.status(), wanted,
                    change.cancelledAt() != null ? BigDecimal.ZERO.setScale(2) : current.total(), refund, now);
            return new ChangeLedger.Update<>(answer(200, Map.of(), done), changes.withOrder(orderId, change));
        });
    }

    Result changeAddress(String customerId, String orderId, WriteCall call) {
        return orderWrite(customerId, orderId, call, (generated, changes, now) -> {
            List<FieldError> errors = new ArrayList<>();
            Address address = AddressRules.parse(call.body(), errors);
            if (address == null) {
                return refused(SimulatorProblems.invalid(errors), changes);
            }
            OrderChange change = changes.order(orderId);
            var refusal = ActionRules.changeRefusal(generated, change);
            if (refusal != null) {
                return refused(SimulatorProblems.refusal(new ActionRules.LineRefusal(refusal, null)), changes);
            }
            return new ChangeLedger.Update<>(answer(200, Map.of(), new AddressChange(orderId, address, now)),
                    changes.withOrder(orderId, change.withAddress(address)));
        });
    }

    Result replacePreferences(String customerId, WriteCall call) {
        int n = data.customerNumber(customerId);
        Answer early = keyProblem(call);
        if (early == null && n == 0) {
            early = SimulatorProblems.notFound();
        }
        if (early == null && call.ifMatch() == null) {
            early = SimulatorProblems.problem(428, BackOfficeProblem.PRECONDITION_REQUIRED, "Precondition Required",
                    "Replacing contact preferences needs If-Match with the ETag read before.", List.of(), null);
        }
        if (early != null) {
            return new Result(early, Outcome.REFUSED);
        }
        return write(n, call, (changes, now) -> {
            List<FieldError> errors = new ArrayList<>();
            ContactPreferences replaced = WriteRequests.preferences(call.body(), errors);
            if (replaced == null) {
                return refused(SimulatorProblems.invalid(errors), changes);
            }
            if (!matches(call.ifMatch(), changes.version())) {
                return refused(SimulatorProblems.problem(412, BackOfficeProblem.VERSION_MISMATCH, "Precondition Failed",
                        "The contact preferences were changed meanwhile; read them again.", List.of(), null), changes);
            }
            CustomerChanges next = changes.withPreferences(replaced);
            return new ChangeLedger.Update<>(versioned(replaced, next.version(), 200), next);
        });
    }

    // ---- the write path ----

    /** A change of one order: decides with the generated order, the customer's changes and the time. */
    @FunctionalInterface
    private interface OrderWrite {
        ChangeLedger.Update<Answer> apply(Order generated, CustomerChanges changes, Instant now);
    }

    private Result orderWrite(String customerId, String orderId, WriteCall call, OrderWrite change) {
        Answer early = keyProblem(call);
        Optional<Order> generated = data.order(customerId, orderId);
        if (early == null && generated.isEmpty()) {
            early = SimulatorProblems.notFound();
        }
        if (early != null) {
            return new Result(early, Outcome.REFUSED);
        }
        return write(data.customerNumber(customerId), call,
                (changes, now) -> change.apply(generated.get(), changes, now));
    }

    /** The Idempotency-Key around a change, atomically for the customer (see {@link ChangeLedger#update}). */
    private Result write(int customer, WriteCall call,
                         BiFunction<CustomerChanges, Instant, ChangeLedger.Update<Answer>> change) {
        String key = call.idempotencyKey();
        return ledger.update(customer, changes -> {
            Instant now = clock.instant();
            CustomerChanges.StoredAnswer earlier = changes.answer(key, now);
            if (earlier != null) {
                Result replay = earlier.request().equals(call.fingerprint())
                        ? new Result(earlier.answer(), Outcome.REPLAYED)
                        : new Result(SimulatorProblems.problem(422, BackOfficeProblem.IDEMPOTENCY_KEY_REUSED, "Unprocessable Content",
                                "This Idempotency-Key was used for another request.", List.of(), null),
                                Outcome.REFUSED);
                return new ChangeLedger.Update<>(replay, changes);
            }
            ChangeLedger.Update<Answer> update = change.apply(changes, now);
            if (update.next() == changes) {
                return new ChangeLedger.Update<>(new Result(update.result(), Outcome.REFUSED), changes);
            }
            CustomerChanges stored = update.next().withAnswer(new CustomerChanges.StoredAnswer(key,
                    call.fingerprint(), now.plus(idempotencyTtl), update.result()), now);
            return new ChangeLedger.Update<>(new Result(update.result(), Outcome.APPLIED), stored);
        });
    }

    private static @Nullable Answer keyProblem(WriteCall call) {
        String key = call.idempotencyKey();
        if (key == null || !KEY.matcher(key).matches()) {
            return key == null
                    ? SimulatorProblems.invalid(List.of(new FieldError("Idempotency-Key", "The Idempotency-Key header is "
                            + "required on every write.")))
                    : SimulatorProblems.invalid(List.of(new FieldError("Idempotency-Key", "The Idempotency-Key must be 1-255 "
                            + "visible ASCII characters.")));
        }
        return null;
    }

    private static boolean allReturned(Order generated, OrderChange change) {
        return generated.lines().stream().allMatch(l -> change.returned(l.sku()) >= l.quantity());
    }

    private static OrderLine line(Order order, String sku) {
        return order.lines().stream().filter(l -> l.sku().equals(sku)).findFirst().orElseThrow();
    }

    // ---- answers ----

    private static boolean matches(@Nullable String ifMatch, long version) {
        if (ifMatch == null) {
            return false;
        }
        String etag = etag(version);
        for (String tag : ifMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*") || candidate.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    static String etag(long version) {
        return "\"p" + version + "\"";
    }

    private Answer versioned(ContactPreferences preferences, long version, int status) {
        return answer(status, Map.of("ETag", etag(version)), preferences);
    }

    private Answer ok(Object body) {
        return answer(200, Map.of(), body);
    }

    private Answer answer(int status, Map<String, String> headers, Object body) {
        return new Answer(status, headers, json.writeValueAsBytes(body));
    }

    private static ChangeLedger.Update<Answer> refused(Answer problem, CustomerChanges unchanged) {
        return new ChangeLedger.Update<>(problem, unchanged);
    }

}
