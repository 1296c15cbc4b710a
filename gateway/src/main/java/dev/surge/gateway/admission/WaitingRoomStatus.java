package dev.surge.gateway.admission;

/**
 * What a waiting customer is told, as JSON on {@code GET /api/v1/waiting-room/{ticket}} and as each SSE event.
 *
 * @param position 1 = next; 0 once admitted
 * @param estimatedWaitSeconds at the measured admission rate; 0 once admitted
 * @param refreshSeconds when to ask again; 0 once admitted (retry the request with the ticket instead)
 * @param admitted whether requests carrying the ticket are let in now
 */
record WaitingRoomStatus(long position, long estimatedWaitSeconds, long refreshSeconds, boolean admitted) {

    static final WaitingRoomStatus ADMITTED = new WaitingRoomStatus(0, 0, 0, true);
}
