package dev.surge.gateway.demo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import dev.surge.gateway.backoffice.Account;
import dev.surge.gateway.backoffice.Address;
import dev.surge.gateway.backoffice.ContactChannel;
import dev.surge.gateway.backoffice.ContactPreferences;
import dev.surge.gateway.backoffice.OptIns;
import dev.surge.gateway.backoffice.QuietHours;
import dev.surge.gateway.backoffice.CreditStatus;
import dev.surge.gateway.backoffice.CustomerProfile;
import dev.surge.gateway.backoffice.Order;
import dev.surge.gateway.backoffice.OrderLine;
import dev.surge.gateway.backoffice.OrderPage;
import dev.surge.gateway.backoffice.OrderStatus;
import dev.surge.gateway.backoffice.OrderSummary;
import dev.surge.gateway.backoffice.Shipment;
import dev.surge.gateway.backoffice.ShipmentStatus;
import dev.surge.gateway.backoffice.StatusChange;
import dev.surge.gateway.backoffice.StockLevel;
import dev.surge.gateway.backoffice.TrackingEvent;
import dev.surge.gateway.backoffice.WarehouseStock;
import dev.surge.gateway.identity.Tier;

/**
 * The demo back office's data as generated, computed on demand from the seed: nothing is stored, so start-up is
 * instant and every instance with the same seed serves the same data. Order dates count back from the start of the
 * current UTC day on the injected clock, so the demo stays alive as time passes: any day has orders placed hours ago
 * and not shipped yet, parcels in transit, orders delivered within the return window and long before it, cancelled
 * and returned ones. Each order follows its own timeline (placed, paid, packed, shipped, delivered) and stands at the
 * last step reached by the start of the day, so a day's data is fixed for the whole day: the same seed and day give
 * the same data. What customers changed lives in {@link ChangeLedger}, laid over this by {@link DemoBackOffice}.
 */
final class DemoData {

    static final int MAX_ORDERS = 20;
    /** Every {@value}th SKU (by number) is sold as final sale, so some lines of many orders cannot be returned. */
    static final int FINAL_SALE_EVERY = 8;

    private static final long ID_SPACE = 1_000_000_000_000L; // order ids are "O" + 12 digits
    private static final long ID_MULTIPLIER = 783_213_497L; // odd and not a multiple of 5: a bijection mod 10^12
    private static final String[] FIRST = {"Ada", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hugo", "Ines",
        "Jonas", "Kira", "Liam", "Mila", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara"};
    private static final String[] LAST = {"Andersen", "Bauer", "Costa", "Dubois", "Evans", "Fischer", "Garcia",
        "Hansen", "Ivanova", "Jensen", "Kowalski", "Lopez", "Martin", "Novak", "Olsen", "Petit", "Rossi", "Schmidt"};
    private static final String[] PRODUCTS = {"Trail running shoes", "Rain jacket", "Merino socks (3 pack)",
        "Espresso machine", "Cast iron pan", "Desk lamp", "Noise-cancelling headphones", "Yoga mat", "Backpack 30 l",
        "Water bottle", "Wool blanket", "Chef's knife", "Bike light set", "Smart thermostat", "Linen shirt"};
    private static final String[] CARRIERS = {"DHL", "UPS", "DPD", "GLS"};
    private static final String[] HUBS = {"Amsterdam", "Frankfurt", "Leipzig", "Lyon", "Milan", "Warsaw", "Madrid"};
    private static final String[] STREETS = {"Keizersgracht", "Hauptstrasse", "Rue de la Paix", "Calle Mayor",
        "Via Roma", "Nowy Swiat", "Storgatan", "Lindenallee"};
    private static final String[][] CITIES = {{"Amsterdam", "NL", "1017 CT"}, {"Berlin", "DE", "10115"},
        {"Lyon", "FR", "69002"}, {"Madrid", "ES", "28013"}, {"Milano", "IT", "20121"}, {"Warszawa", "PL", "00-372"},
        {"Stockholm", "SE", "111 52"}, {"Wien", "AT", "1010"}};
    private static final String[] PAYMENTS = {"Visa ending ", "Mastercard ending ", "SEPA direct debit ending ",
        "PayPal account ending "};
    private static final String[] WAREHOUSES = {"ams-1", "fra-1", "mad-1", "waw-1"};
    private static final java.util.Map<String, String> ZONES = java.util.Map.of("NL", "Europe/Amsterdam",
            "DE", "Europe/Berlin", "FR", "Europe/Paris", "ES", "Europe/Madrid", "IT", "Europe/Rome",
            "PL", "Europe/Warsaw", "SE", "Europe/Stockholm", "AT", "Europe/Vienna");
    /** Customers' since-dates count back from here (they are history, which no day moves). */
    private static final LocalDate CUSTOMERS_EPOCH = LocalDate.of(2026, 11, 1);

    private final long seed;
    private final int customers;
    private final int skus;
    private final Clock clock;
    private final long offset;
    private final long inverse;

    DemoData(long seed, int customers, int skus, Clock clock) {
        this.seed = seed;
        this.customers = customers;
        this.skus = skus;
        this.clock = clock;
        this.offset = Math.floorMod(seed * 0x9E3779B97F4A7C15L, ID_SPACE);
        this.inverse = BigInteger.valueOf(ID_MULTIPLIER).modInverse(BigInteger.valueOf(ID_SPACE)).longValueExact();
    }

    Optional<CustomerProfile> customer(String customerId) {
        int n = customerNumber(customerId);
        if (n == 0) {
            return Optional.empty();
        }
        SplittableRandom r = random(n, 1);
        String first = FIRST[r.nextInt(FIRST.length)];
        String last = LAST[r.nextInt(LAST.length)];
        double draw = r.nextDouble();
        Tier tier = draw < 0.70 ? Tier.STANDARD : draw < 0.92 ? Tier.GOLD : Tier.PLATINUM;
        // Fixed, not day-relative: a customer's since-date is a fact about the past that no day moves.
        LocalDate since = CUSTOMERS_EPOCH.minusDays(30 + r.nextInt(3650));
        String email = (first + "." + last + n).toLowerCase() + "@example.com";
        return Optional.of(new CustomerProfile(customerId, first + " " + last, email, tier, since));
    }

    Optional<Account> account(String customerId) {
        return customer(customerId).map(customer -> {
            SplittableRandom r = random(customerNumber(customerId), 2);
            BigDecimal limit = BigDecimal.valueOf(switch (customer.tier()) {
                case STANDARD -> 500;
                case GOLD -> 2_500;
                case PLATINUM -> 10_000;
            }).setScale(2, RoundingMode.UNNECESSARY);
            BigDecimal balance = money(r.nextDouble() * limit.doubleValue() * 0.8);
            double draw = r.nextDouble();
            CreditStatus status = draw < 0.85 ? CreditStatus.GOOD : draw < 0.96 ? CreditStatus.WATCH : CreditStatus.HOLD;
            return new Account(customerId, balance, limit, "EUR", status);
        });
    }

    Optional<OrderPage> orders(String customerId, @Nullable String after, int limit) {
        return orders(customerId, after, limit, UnaryOperator.identity());
    }

    /** A page of orders, each as {@code view} shows it (the generated order with what customers changed). */
    Optional<OrderPage> orders(String customerId, @Nullable String after, int limit, UnaryOperator<Order> view) {
        int n = customerNumber(customerId);
        if (n == 0) {
            return Optional.empty();
        }
        int count = orderCount(n);
        int start = 0;
        if (after != null) {
            long[] decoded = decodeOrderId(after);
            if (decoded == null || decoded[0] != n || decoded[1] >= count) {
                return Optional.empty();
            }
            start = (int) decoded[1] + 1;
        }
        List<OrderSummary> page = new ArrayList<>();
        for (int index = start; index < count && page.size() < limit; index++) {
            Order order = view.apply(order(n, index));
            int items = order.lines().stream().mapToInt(OrderLine::quantity).sum();
            page.add(new OrderSummary(order.id(), order.placedAt(), order.status(), order.total(), order.currency(),
                    items));
        }
        int next = start + page.size();
        String nextAfter = next < count && !page.isEmpty() ? page.get(page.size() - 1).id() : null;
        return Optional.of(new OrderPage(page, nextAfter));
    }

    /** The order, only if it is this customer's: another customer's order is as absent as a missing one. */
    Optional<Order> order(String customerId, String orderId) {
        int n = customerNumber(customerId);
        long[] decoded = decodeOrderId(orderId);
        if (n == 0 || decoded == null || decoded[0] != n || decoded[1] >= orderCount(n)) {
            return Optional.empty();
        }
        return Optional.of(order(n, (int) decoded[1]));
    }

    Optional<Shipment> shipment(String orderId) {
        long[] decoded = decodeOrderId(orderId);
        if (decoded == null || decoded[0] < 1 || decoded[0] > customers || decoded[1] >= orderCount((int) decoded[0])) {
            return Optional.empty();
        }
        Order order = order((int) decoded[0], (int) decoded[1]);
        Instant shippedAt = order.history().stream().filter(c -> c.status() == OrderStatus.SHIPPED)
                .map(StatusChange::at).findFirst().orElse(null);
        if (shippedAt == null) {
            return Optional.empty();
        }
        SplittableRandom r = random(decoded[0] * MAX_ORDERS + decoded[1], 5);
        String carrier = CARRIERS[r.nextInt(CARRIERS.length)];
        String tracking = carrier.charAt(0) + String.format("%011d", r.nextLong(100_000_000_000L));
        boolean delivered = order.status() != OrderStatus.SHIPPED;
        List<TrackingEvent> events = new ArrayList<>();
        events.add(new TrackingEvent(shippedAt, "Warehouse", "Label created, parcel handed to " + carrier));
        Instant at = shippedAt;
        int hops = 1 + r.nextInt(3);
        Instant deliveredAt = order.history().stream().filter(c -> c.status() == OrderStatus.DELIVERED)
                .map(StatusChange::at).findFirst().orElse(null);
        // Scans happen between shipping and delivery, and never after the start of the day (the data's "now").
        Instant lastScan = deliveredAt != null ? deliveredAt : dayStart();
        for (int hop = 0; hop < hops; hop++) {
            at = at.plus(Duration.ofHours(6 + r.nextInt(18)));
            String hub = HUBS[r.nextInt(HUBS.length)] + " hub";
            if (at.isBefore(lastScan)) {
                events.add(new TrackingEvent(at, hub, "In transit"));
            }
        }
        ShipmentStatus status = ShipmentStatus.IN_TRANSIT;
        LocalDate estimate = shippedAt.atZone(ZoneOffset.UTC).toLocalDate().plusDays(3);
        if (estimate.isBefore(today())) {
            estimate = today(); // late parcels are expected today, never in the past
        }
        if (delivered && deliveredAt != null) {
            events.add(new TrackingEvent(deliveredAt, "Customer address", "Delivered"));
            status = ShipmentStatus.DELIVERED;
            estimate = null;
        }
        return Optional.of(new Shipment(orderId, carrier, tracking, status, estimate, List.copyOf(events)));
    }

    Optional<StockLevel> stock(String sku) {
        int number = skuNumber(sku);
        if (number == 0) {
            return Optional.empty();
        }
        SplittableRandom r = random(number, 7);
        int warehouses = 2 + r.nextInt(3);
        List<WarehouseStock> levels = new ArrayList<>();
        int total = 0;
        for (int w = 0; w < warehouses; w++) {
            boolean empty = r.nextDouble() < 0.15;
            int available = empty ? 0 : 1 + r.nextInt(200);
            LocalDate restock = empty ? today().plusDays(3 + r.nextInt(20)) : null;
            levels.add(new WarehouseStock(WAREHOUSES[w], available, restock));
            total += available;
        }
        return Optional.of(new StockLevel(sku, PRODUCTS[number % PRODUCTS.length], total, List.copyOf(levels)));
    }

    int orderCount(int customer) {
        return 1 + random(customer, 3).nextInt(MAX_ORDERS);
    }

    /** The start of the current UTC day on the clock: the demo world's "now" for the whole day. */
    Instant dayStart() {
        return today().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** Whether an item is sold as final sale (not returnable): a property of the SKU, the same in every order. */
    static boolean finalSale(String sku) {
        int number = parseNumber(sku, "SKU-", Integer.MAX_VALUE);
        return number > 0 && number % FINAL_SALE_EVERY == 3;
    }

    /** The customer number of a demo customer id, or 0 when it is not one. */
    int customerNumber(String customerId) {
        return parseNumber(customerId, "c", customers);
    }

    /** The returns the generated data already has: one refunded return for each returned order, newest first. */
    List<GeneratedReturn> generatedReturns(int n) {
        List<GeneratedReturn> returns = new ArrayList<>();
        for (int index = 0; index < orderCount(n); index++) {
            Order order = order(n, index);
            if (order.status() == OrderStatus.RETURNED) {
                returns.add(new GeneratedReturn("R" + order.id().substring(1), order,
                        order.history().get(order.history().size() - 1).at()));
            }
        }
        return List.copyOf(returns);
    }

    /** A return in the generated data: every line of {@code order} went back, authorised at {@code createdAt}. */
    record GeneratedReturn(String rma, Order order, Instant createdAt) {
    }

    /** Order {@code index} of customer {@code n}; index 0 is the newest. */
    private Order order(int n, int index) {
        // Placement times: the sum of the gaps before this order, each drawn from the customer's own sequence.
        Instant dayStart = dayStart();
        SplittableRandom gaps = random(n, 4);
        Instant placedAt = dayStart.minus(Duration.ofHours(2 + gaps.nextInt(72)));
        for (int i = 1; i <= index; i++) {
            placedAt = placedAt.minus(Duration.ofHours(24 + gaps.nextInt(24 * 40)));
        }
        SplittableRandom r = random((long) n * MAX_ORDERS + index, 6);
        List<OrderLine> lines = new ArrayList<>();
        int lineCount = 2 + r.nextInt(4);
        BigDecimal total = BigDecimal.ZERO.setScale(2, RoundingMode.UNNECESSARY);
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (int l = 0; l < lineCount; l++) {
            int skuNumber = 1 + r.nextInt(skus);
            int quantity = 1 + r.nextInt(3);
            BigDecimal price = money(5 + r.nextDouble() * 295);
            if (!taken.add(skuNumber)) {
                continue; // one line per SKU: the contract names lines by SKU
            }
            lines.add(new OrderLine(String.format("SKU-%05d", skuNumber), PRODUCTS[skuNumber % PRODUCTS.length],
                    quantity, price));
            total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
        }
        List<StatusChange> history = history(placedAt, dayStart, r);
        return new Order(orderId(n, index), "c" + n, placedAt, history.get(history.size() - 1).status(), total,
                "EUR", List.copyOf(lines), history, address(n), PAYMENTS[r.nextInt(PAYMENTS.length)]
                        + String.format("%04d", r.nextInt(10_000)));
    }

    /** The customer's delivery address: the same for all their orders. */
    private Address address(int n) {
        SplittableRandom r = random(n, 1);
        String name = FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)]; // as in customer()
        SplittableRandom a = random(n, 8);
        int place = a.nextInt(CITIES.length);
        String[] city = CITIES[place];
        return new Address(name, STREETS[place] + " " + (1 + a.nextInt(240)), city[2], city[0], city[1]);
    }

    /** The customer's contact preferences as generated (version 1): e-mail first, the language of their country. */
    ContactPreferences preferences(int n) {
        SplittableRandom r = random(n, 9);
        Address address = address(n);
        List<ContactChannel> channels = new ArrayList<>(List.of(ContactChannel.EMAIL));
        if (r.nextDouble() < 0.5) {
            channels.add(r.nextBoolean() ? ContactChannel.SMS : ContactChannel.PUSH);
        }
        String language = switch (address.country()) {
            case "DE", "AT" -> "de";
            case "FR" -> "fr";
            case "ES" -> "es";
            case "IT" -> "it";
            case "NL" -> "nl";
            case "PL" -> "pl";
            case "SE" -> "sv";
            default -> "en";
        };
        QuietHours quiet = r.nextDouble() < 0.4
                ? new QuietHours(LocalTime.of(21 + r.nextInt(2), 0), LocalTime.of(7 + r.nextInt(2), 0),
                        ZONES.getOrDefault(address.country(), "Europe/Brussels"))
                : null;
        return new ContactPreferences(channels, new OptIns(true, r.nextDouble() < 0.3, r.nextDouble() < 0.2),
                language, quiet);
    }

    /**
     * An order's timeline up to {@code dayStart}: it is placed; then, unless it is one of the few cancelled soon
     * after, paid, packed, shipped and delivered at drawn intervals; then a few are returned. Only the steps reached
     * by the start of the day are history, so the order stands where its timeline is today, whatever the day.
     */
    private static List<StatusChange> history(Instant placedAt, Instant dayStart, SplittableRandom r) {
        List<StatusChange> history = new ArrayList<>();
        history.add(new StatusChange(OrderStatus.PLACED, placedAt));
        double fate = r.nextDouble();
        if (fate < 0.05) {
            add(history, OrderStatus.CANCELLED, placedAt.plus(Duration.ofHours(1 + r.nextInt(20))), dayStart);
            return List.copyOf(history);
        }
        Instant at = placedAt;
        OrderStatus[] path = {OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED,
            OrderStatus.RETURNED};
        for (OrderStatus step : path) {
            if (step == OrderStatus.RETURNED && fate >= 0.11) {
                break; // about 6 % of orders are sent back
            }
            at = at.plus(switch (step) {
                case DELIVERED -> Duration.ofHours(24 + r.nextInt(72));
                case RETURNED -> Duration.ofDays(3 + r.nextInt(20));
                default -> Duration.ofHours(1 + r.nextInt(20));
            });
            if (!add(history, step, at, dayStart)) {
                break;
            }
        }
        return List.copyOf(history);
    }

    /** Adds the step if it was reached by the start of the day; false (and nothing added) if it is still to come. */
    private static boolean add(List<StatusChange> history, OrderStatus step, Instant at, Instant dayStart) {
        if (at.isAfter(dayStart)) {
            return false;
        }
        history.add(new StatusChange(step, at));
        return true;
    }

    String orderId(int n, int index) {
        long plain = (long) n * MAX_ORDERS + index;
        long mixed = Math.floorMod(mulMod(plain, ID_MULTIPLIER) + offset, ID_SPACE);
        return String.format("O%012d", mixed);
    }

    /** {customer number, order index}, or null if the id is not one of ours. */
    long @Nullable [] decodeOrderId(String orderId) {
        if (orderId.length() != 13 || orderId.charAt(0) != 'O') {
            return null;
        }
        long mixed;
        try {
            mixed = Long.parseLong(orderId, 1, 13, 10);
        } catch (NumberFormatException e) {
            return null;
        }
        if (mixed < 0) {
            return null;
        }
        long plain = mulMod(Math.floorMod(mixed - offset, ID_SPACE), inverse);
        long n = plain / MAX_ORDERS;
        if (n < 1 || n > customers) {
            return null;
        }
        return new long[] {n, plain % MAX_ORDERS};
    }

    private static long mulMod(long a, long b) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(BigInteger.valueOf(ID_SPACE)).longValue();
    }

    private int skuNumber(String sku) {
        return parseNumber(sku, "SKU-", skus);
    }

    /** The number after the prefix if it is within 1..max, else 0. */
    private static int parseNumber(String id, String prefix, int max) {
        if (!id.startsWith(prefix) || id.length() == prefix.length() || id.length() > prefix.length() + 9) {
            return 0;
        }
        try {
            int n = Integer.parseInt(id, prefix.length(), id.length(), 10);
            return n >= 1 && n <= max && id.equals(prefix.equals("SKU-") ? String.format("SKU-%05d", n) : prefix + n)
                    ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private SplittableRandom random(long key, int stream) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ key * 0xC2B2AE3D27D4EB4FL ^ stream * 0x165667B19E3779F9L);
    }

    private static BigDecimal money(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
    }
}
