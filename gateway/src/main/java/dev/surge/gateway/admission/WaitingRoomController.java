package dev.surge.gateway.admission;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A waiting customer's view of their place: JSON for apps that poll, SSE for the web. Only the ticket's own customer
 * (by the bearer token's subject) gets an answer. Both are answered from this instance's view of the queue, never
 * from Redis, and are not subject to admission: telling people where they stand must keep working when nothing
 * else does.
 */
@RestController
@RequestMapping(WaitingRoomController.PATH)
class WaitingRoomController {

    static final String PATH = "/api/v1/waiting-room";

    private final WaitingRoom room;

    WaitingRoomController(WaitingRoom room) {
        this.room = room;
    }

    @GetMapping("/{ticket}")
    Mono<ResponseEntity<WaitingRoomStatus>> status(@AuthenticationPrincipal Jwt token, @PathVariable String ticket) {
        // no-store: a place changes by the second, and it is one customer's
        return Mono.fromSupplier(() -> ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(room.status(ticket, token.getSubject())));
    }

    @GetMapping(path = "/{ticket}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<WaitingRoomStatus>> events(@AuthenticationPrincipal Jwt token, @PathVariable String ticket) {
        return Flux.defer(() -> room.events(ticket, token.getSubject()))
                .map(status -> ServerSentEvent.builder(status).build());
    }
}
