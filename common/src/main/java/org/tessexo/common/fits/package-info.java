/**
 * FITS images: header blocks read under bounds ({@code FitsBlockReader}), each HDU's header checked
 * ({@code HduHeader}), the HDU chosen ({@code HduSelection}), the image decoded and scaled ({@code FitsImageDecoder}),
 * and what became of the file ({@code Outcome}, {@code DecodeResult}).
 */
package org.tessexo.common.fits;
