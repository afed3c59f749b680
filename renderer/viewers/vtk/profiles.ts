// The one place vtk.js rendering profiles are loaded: registers the WebGL implementations of
// the classes the viewers use (actors, mappers, image slices, volumes).
import '@kitware/vtk.js/Rendering/Profiles/Geometry';
