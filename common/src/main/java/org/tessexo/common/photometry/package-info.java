/**
 * Photometry of full-frame images: world coordinates, reference images, stars found or placed, aperture
 * photometry frame by frame. Pure domain code; the {@code photometry} command runs it on Spark.
 */
package org.tessexo.common.photometry;
