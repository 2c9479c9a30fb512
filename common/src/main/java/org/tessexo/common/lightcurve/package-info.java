/**
 * Light curves: reading SPOC, TPF and cutout files, detrending, the box least squares search, single events,
 * phase-folded views and figures.
 */
package org.tessexo.common.lightcurve;
