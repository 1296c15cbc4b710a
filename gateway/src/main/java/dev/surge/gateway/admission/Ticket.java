package dev.surge.gateway.admission;

/**
 * A place in the waiting room, as signed into the opaque ticket string a customer holds.
 *
 * @param epoch the queue it belongs to: when the queue's state in Redis is lost and starts again, older tickets
 *              name the old epoch and are void
 * @param seq its place in the global order (1 = the first ticket of the epoch)
 * @param issuedAt when it was issued, epoch milliseconds
 * @param expiresAt after this instant (epoch milliseconds) a ticket not yet admitted is void
 * @param customerId the only customer it is good for
 */
record Ticket(long epoch, long seq, long issuedAt, long expiresAt, String customerId) {
}
