/**
 * Vetting: is a periodic signal a planet, an eclipsing binary or a false alarm? The views of a signal
 * ({@link org.tessexo.common.vetting.SignalViews}), the limb-darkened transit and eclipse models that make training
 * data ({@link org.tessexo.common.vetting.TransitModel}, {@link org.tessexo.common.vetting.Injector}), the network
 * ({@link org.tessexo.common.vetting.VetterNetwork}) and the trained vetter that scores signals
 * ({@link org.tessexo.common.vetting.Vetter}). Pure domain code: no Spark, no I/O beyond a model file.
 */
package org.tessexo.common.vetting;
