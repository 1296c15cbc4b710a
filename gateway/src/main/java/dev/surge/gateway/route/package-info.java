/**
 * The route table: every API endpoint declared once ({@link dev.surge.gateway.route.Routes}) with what the filters
 * need to know of it (who may call it, its rate-limit and admission classes, its journey template, whether the fast
 * path may answer it), resolved once per request. It depends on no feature; the features read it.
 */
@NullMarked
package dev.surge.gateway.route;

import org.jspecify.annotations.NullMarked;
