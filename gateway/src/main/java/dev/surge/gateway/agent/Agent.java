package dev.surge.gateway.agent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

import dev.surge.gateway.core.SurgeException;
import dev.surge.gateway.queue.Skill;
import dev.surge.gateway.security.SurgeRoles;

/** The calling agent: id (the token's subject), display name and skills, all from the token. */
record Agent(String id, String name, Set<Skill> skills) {

    static Agent of(Jwt token) {
        Set<Skill> skills = new LinkedHashSet<>();
        List<String> claimed = token.getClaimAsStringList(SurgeRoles.CLAIM_SKILLS);
        if (claimed != null) {
            claimed.stream().map(Skill::fromWire).filter(java.util.Objects::nonNull).forEach(skills::add);
        }
        String name = token.getClaimAsString(SurgeRoles.CLAIM_NAME);
        return new Agent(token.getSubject(), name != null ? name : token.getSubject(), skills);
    }

    /** The skills to claim from: the token's, or the subset the request names (never more). */
    Collection<Skill> narrow(@Nullable List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            if (skills.isEmpty()) {
                throw SurgeException.badRequest("This agent token names no skills.");
            }
            return skills;
        }
        List<Skill> chosen = new ArrayList<>();
        for (String name : requested) {
            Skill skill = Skill.fromWire(name);
            if (skill == null || !skills.contains(skill)) {
                throw SurgeException.badRequest("skills must be among your skills: " + skills.stream()
                        .map(Skill::wire).toList() + ".");
            }
            chosen.add(skill);
        }
        return chosen;
    }
}
