/**
 * Held-out evaluation: the deterministic split by file name and the binary metrics.
 */
package org.tessexo.common.eval;
