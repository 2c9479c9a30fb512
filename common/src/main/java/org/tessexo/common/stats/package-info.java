/**
 * Robust statistics on double arrays: medians and median absolute deviations by selection, not by sorting.
 */
package org.tessexo.common.stats;
