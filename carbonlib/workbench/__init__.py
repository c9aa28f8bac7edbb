"""The workbench: everything that turns the calculation library into papers.

:mod:`~carbonlib.workbench.build` (the incremental, atomic build), :mod:`~carbonlib.workbench.sweep`
(parameter sweeps), :mod:`~carbonlib.workbench.params` (the ``parameters`` cells and named
scenarios), :mod:`~carbonlib.workbench.run` (a workbook run: ``cl.start``, tables, figures),
:mod:`~carbonlib.workbench.render` and :mod:`~carbonlib.workbench.paper` (HTML),
:mod:`~carbonlib.workbench.i18n` (the glossary of the zh-TW edition),
:mod:`~carbonlib.workbench.provenance` (hashes and versions), :mod:`~carbonlib.workbench.paths`
(every path and environment variable), :mod:`~carbonlib.workbench.style` (fonts and the house
style), :mod:`~carbonlib.workbench.lab` and :mod:`~carbonlib.workbench.cli` (the command line).

The workbench may import the calculation library and the figures; neither of them imports it.
"""
