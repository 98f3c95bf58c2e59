// MainWindow wiring: central tabs, docks, menus, status bar and the settings that persist.
#include "main_window.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenuBar>
#include <QVBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>
#include <QUndoStack>

#include "data_probe.h"
#include "designer/designer_widget.h"
#include "designer/graph_edits.h"
#include "designer/graph_model.h"
#include "designer/graph_scene.h"
#include "designer/graph_view.h"
#include "designer/inspector.h"
#include "designer/layer_palette.h"
#include "designer/model_status.h"
#include "designer/model_views.h"
#include "designer/problems_panel.h"
#include "designer/template_library.h"
#include "lesson/lesson_mode.h"
#include "deploy/try_it_panel.h"
#include "experiments/experiments_panel.h"
#include "io/json_text.h"
#include "import_model.h"
#include "project_files.h"
#include "runs/runs_panel.h"
#include "training/training_panel.h"
#include "training/training_workspace.h"
#include "info/build_info.h"
#include "core/paths.h"
#include "run_store.h"
#include "settings/preferences_dialog.h"
#include "settings/theme.h"
#include "welcome/about_dialog.h"
#include "welcome/user_guide.h"
#include "welcome/welcome_page.h"
#include "wheel_guard.h"
#include "window_geometry.h"

namespace neurite {

namespace {
// What File > New Project trains on until the user picks data (the spiral example's data).
constexpr const char* kNewProjectData = "synthetic:spiral?samples=1500&classes=3&noise=0.1&seed=7";
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_model(new GraphModel(this)),
      m_undo(new QUndoStack(this)),
      m_probe(new DataProbe(this)),
      m_files(new ProjectFiles(m_model, m_undo, this)),
      m_prefs(Preferences::load()) {
    WheelGuard::install();  // before any field exists: every field takes the wheel only when focused
    setObjectName("MainWindow");
    m_designer = new DesignerWidget(m_model, m_undo, this);
    auto* summary = new SummaryView(m_model, this);
    // The central area holds one tab per workspace; training and runs join the designer later.
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_welcome = new WelcomePage(this);
    m_tabs->addTab(m_welcome, tr("Start"));
    m_tabs->addTab(m_designer, tr("Designer"));
    // The Summary tab: the project's description (an imported model's report: nodes mapped,
    // folded, dropped) above the table of layers.
    auto* summaryTab = new QWidget(this);
    auto* summaryLayout = new QVBoxLayout(summaryTab);
    summaryLayout->setContentsMargins(0, 0, 0, 0);
    auto* about = new QLabel(summaryTab);
    about->setObjectName("projectDescription");
    about->setWordWrap(true);
    about->setTextInteractionFlags(Qt::TextSelectableByMouse);
    about->setContentsMargins(8, 6, 8, 2);
    summaryLayout->addWidget(about);
    summaryLayout->addWidget(summary, 1);
    const auto showDescription = [this, about] {
        const QString text = QString::fromStdString(m_model->document().description);
        about->setText(text);
        about->setVisible(!text.isEmpty());
    };
    connect(m_model, &GraphModel::documentReset, about, showDescription);
    showDescription();
    summaryTab->setObjectName("summaryTab");
    m_tabs->addTab(summaryTab, tr("Summary"));
    auto* jsonTab = new JsonView(m_model, this);
    jsonTab->setObjectName("jsonTab");
    m_tabs->addTab(jsonTab, tr("JSON"));
    // The Training tab: the project's settings (undoable, saved with it) beside the live run.
    auto* trainingTab = new TrainingWorkspace(m_model, m_undo, this);
    m_training = trainingTab->panel();
    m_runs = new RunsPanel(this);
    m_tryIt = new TryItPanel(this);
    m_tabs->addTab(trainingTab, tr("Training"));
    m_tabs->addTab(m_runs, tr("Runs"));
    m_experiments = new ExperimentsPanel(this);
    m_tabs->addTab(m_experiments, tr("Experiments"));
    m_tabs->addTab(m_tryIt, tr("Try it"));
    setCentralWidget(m_tabs);
    sizeTabsToCurrent(m_tabs);
    // Start trains the document as it is now. The worker resolves the graph against the loaded
    // data (so "auto" sizes bind even before the designer's data probe finished) and reports
    // every graph error as a failed start.
    // The preferences fill in what the project leaves open ("auto" device, 0 threads).
    m_training->setProjectSource([this](QString*) { return std::optional<ProjectDocument>(runDocument()); });
    // When the worker is done its recorder has written the run's end: show it in the list at once.
    connect(&m_training->controller(), &TrainingController::stateChanged, m_runs, [this] {
        if (!m_training->controller().running()) m_runs->reload();
    });
    connect(summary, &SummaryView::nodeActivated, this, [this](const QString& id) {
        m_tabs->setCurrentWidget(m_designer);
        m_designer->selectNode(id);
    });
    const auto tryRun = [this](const QString& db, qint64 runId) {
        m_tabs->setCurrentWidget(m_tryIt);
        m_tryIt->loadRun(db, runId);
    };
    connect(m_training, &TrainingPanel::tryItRequested, this, tryRun);
    // The designer's summary shows what the last run pruned (training.pruning).
    connect(m_training, &TrainingPanel::runFinished, m_model,
            [this](const FinishedEvent& e) { m_model->setSparsity(e.sparsity); });
    connect(m_training, &TrainingPanel::unitMapsChanged, m_designer->scene(), &GraphScene::setUnitMaps);
    connect(m_training, &TrainingPanel::outputMapsChanged, m_designer->scene(), &GraphScene::setOutputMaps);
    connectExperiments();
    connect(m_runs, &RunsPanel::tryItRequested, this, tryRun);
    connect(m_runs, &RunsPanel::branchRequested, this, [this, trainingTab](qint64 runId, int epoch) {
        m_tabs->setCurrentWidget(trainingTab);
        m_training->rewindTo(runId, epoch);
    });
    createDocks();
    createMenus();
    createTabStrip();
    createTrainingMenu();
    createHelpMenu();
    createLessonMode();
    connectWelcome();
    m_modelStatus = new ModelStatus(m_model, this);
    statusBar()->addPermanentWidget(m_modelStatus);

    connect(m_files, &ProjectFiles::message, this, [this](const QString& text) {
        statusBar()->showMessage(text, 8000);
    });
    connect(m_files, &ProjectFiles::pathChanged, this, [this] {
        updateTitle();
        probeData();
        m_designer->view()->showGraph();
    });
    connect(m_files, &ProjectFiles::modifiedChanged, this, &MainWindow::updateTitle);
    // Another data source or split changes what "auto" binds to (the probe caches per setting).
    connect(m_model, &GraphModel::settingsChanged, this, &MainWindow::probeData);
    connect(m_files, &ProjectFiles::recentFilesChanged, this, &MainWindow::fillRecentMenu);
    connect(m_probe, &DataProbe::probed, this, [this] {
        const DataProbe::Result& r = m_probe->result();
        m_model->setDataInfo(r.info, r.error.isEmpty() ? std::optional(r.facts) : std::nullopt);
        m_training->showDataPreview(r.preview.get());
        m_problems->setNote(r.error.isEmpty() ? tr("Data: %1").arg(r.summary)
                                              : tr("Data not loaded: %1").arg(r.error));
        emit analysisFinished();
    });
    connect(m_designer->scene(), &GraphScene::connectionRefused, this,
            [this](const QString& reason) { statusBar()->showMessage(tr("Cannot connect: %1").arg(reason), 8000); });
    connect(m_designer->scene(), &GraphScene::connectionNeedsFix, this,
            [this](const QString& fix) { statusBar()->showMessage(tr("Connected; Problems offers: %1").arg(fix), 8000); });

    QSettings settings;
    restoreFittingGeometry(this, settings.value("window/geometry").toByteArray(), QSize(1400, 860));
    restoreState(settings.value("window/state").toByteArray());
    m_tabStripBar->show();  // a state saved by an older version never hides the tabs
    // Start with a usable project: the first template, so the canvas is never a blank page.
    m_files->newProject(projectTemplates().front().document);
    m_tabs->setCurrentWidget(m_designer);
    statusBar()->showMessage(tr("Drag layers from the palette, or open a project (Ctrl+O)"), 8000);
}

MainWindow::~MainWindow() {
    // The children die after this body, in creation order: the model first, then the undo stack,
    // whose destructor emits cleanChanged when there are unsaved edits. Nothing it reaches (this
    // window's title, the inspector, the settings form) may run on a deleted model.
    m_undo->disconnect();
    m_files->disconnect();
    m_model->disconnect();
}

void MainWindow::createDocks() {
    auto dock = [this](const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);  // saveState() identifies docks by name
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };
    m_palette = new LayerPalette(this);
    m_inspector = new Inspector(m_model, m_undo, this);
    m_problems = new ProblemsPanel(m_model, m_designer, this);
    QDockWidget* layers = dock(tr("Layers"), "LayersDock", m_palette, Qt::LeftDockWidgetArea);
    QDockWidget* inspector = dock(tr("Inspector"), "InspectorDock", m_inspector, Qt::RightDockWidgetArea);
    QDockWidget* problems = dock(tr("Problems"), "ProblemsDock", m_problems, Qt::BottomDockWidgetArea);
    // First-run proportions; restoreState() replaces them with the user's own.
    resizeDocks({layers, inspector}, {210, 300}, Qt::Horizontal);
    resizeDocks({problems}, {150}, Qt::Vertical);
    connect(m_palette, &LayerPalette::layerActivated, m_designer, &DesignerWidget::addLayer);
    connect(m_designer, &DesignerWidget::selectionChanged, m_inspector, &Inspector::showNodes);
    connect(m_inspector, &Inspector::renamed, m_designer,
            [this](const QString&, const QString& to) { m_designer->selectNode(to); });
}

void MainWindow::createMenus() {
    const auto icon = [this](QStyle::StandardPixmap p) { return style()->standardIcon(p); };
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* newAction = file->addAction(icon(QStyle::SP_FileIcon), tr("&New Project"), this, &MainWindow::newProject);
    newAction->setShortcut(QKeySequence::New);
    QMenu* templates = file->addMenu(tr("New from &Template"));
    m_templateMenu = templates;
    for (const ProjectTemplate& t : projectTemplates()) {
        QAction* a = templates->addAction(t.name, this, [this, doc = t.document] {
            if (m_files->newProject(doc)) m_tabs->setCurrentWidget(m_designer);
        });
        a->setToolTip(t.description);
        a->setStatusTip(t.description);
    }
    QAction* open = file->addAction(icon(QStyle::SP_DialogOpenButton), tr("&Open Project..."), this, [this] {
        if (m_files->open(QString())) m_tabs->setCurrentWidget(m_designer);
    });
    open->setShortcut(QKeySequence::Open);
    m_recent = file->addMenu(tr("Open &Recent"));
    fillRecentMenu();
    QAction* importModel = file->addAction(tr("&Import ONNX Model..."), this, [this] {
        const QString data = QString::fromStdString(m_model->document().data.source);
        importOnnxModel(this, m_files, m_importPrompts ? *m_importPrompts : dialogPrompts(this), data);
    });
    importModel->setObjectName("importOnnx");
    importModel->setStatusTip(tr("Open an ONNX model (from PyTorch, Keras, ...) as an editable project with its weights"));
    QAction* compare = file->addAction(tr("Compare with &Original ONNX..."), this, [this] {
        compareWithOriginal(this, m_model->document(), m_importPrompts ? *m_importPrompts : dialogPrompts(this));
    });
    compare->setObjectName("compareOnnx");
    compare->setStatusTip(tr("Run an ONNX file and this project on the same samples of its data and show how far "
                             "their outputs differ (an imported model should compute what its file does)"));
    QAction* save = file->addAction(icon(QStyle::SP_DialogSaveButton), tr("&Save"), m_files, &ProjectFiles::save);
    save->setShortcut(QKeySequence::Save);
    file->addAction(tr("Save &As..."), m_files, &ProjectFiles::saveAs)->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    const DesignerWidget::Actions& a = m_designer->actions();
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addActions({undo, redo});
    edit->addSeparator();
    edit->addActions({a.cut, a.copy, a.paste, a.duplicate, a.remove});
    edit->addSeparator();
    edit->addActions({a.freeze, a.replaceHead});
    edit->addSeparator();
    edit->addAction(a.selectAll);
    edit->addSeparator();
    QAction* prefs = edit->addAction(tr("&Preferences..."), this, &MainWindow::showPreferences);
    prefs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    prefs->setMenuRole(QAction::PreferencesRole);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addActions({a.zoomIn, a.zoomOut, a.zoomFit});
    m_viewMenu->addSeparator();
    m_viewMenu->addActions({a.layout, a.snap});
    m_viewMenu->addSeparator();
    for (QDockWidget* d : findChildren<QDockWidget*>()) m_viewMenu->addAction(d->toggleViewAction());
    // The next and previous tab from any widget, wrapping around: Ctrl+Tab, Ctrl+PgDown and back.
    m_viewMenu->addSeparator();
    const auto step = [this](int by) {  // over the visible tabs only (a lesson hides some)
        const int n = m_tabs->count();
        for (int k = 1; k < n; ++k)
            if (const int i = ((m_tabs->currentIndex() + by * k) % n + n) % n; m_tabs->isTabVisible(i)) {
                m_tabs->setCurrentIndex(i);
                return;
            }
    };
    m_viewMenu->addAction(tr("Ne&xt Tab"), this, [step] { step(1); })
        ->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Tab), QKeySequence(Qt::CTRL | Qt::Key_PageDown)});
    m_viewMenu->addAction(tr("Pre&vious Tab"), this, [step] { step(-1); })
        ->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab), QKeySequence(Qt::CTRL | Qt::Key_PageUp)});

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName("MainToolBar");
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addActions({newAction, open, save});
    bar->addSeparator();
    // The menu's undo action names the step ("Undo Delete conv2"), too long for a tool button.
    QAction* undoButton = bar->addAction(icon(QStyle::SP_ArrowBack), tr("Undo"), m_undo, &QUndoStack::undo);
    QAction* redoButton = bar->addAction(icon(QStyle::SP_ArrowForward), tr("Redo"), m_undo, &QUndoStack::redo);
    undoButton->setEnabled(false);
    redoButton->setEnabled(false);
    connect(m_undo, &QUndoStack::canUndoChanged, undoButton, &QAction::setEnabled);
    connect(m_undo, &QUndoStack::canRedoChanged, redoButton, &QAction::setEnabled);
    bar->addSeparator();
    bar->addActions({a.layout, a.zoomFit});
}

// The tabs sit in their own toolbar row, above the docks and as wide as the window, so they stay
// put when the designer's docks step aside on the other tabs (in the tab widget's own bar they
// moved with the central area: a click on "Training" once landed on "Summary"). The row cannot
// be moved, floated or hidden.
void MainWindow::createTabStrip() {
    m_tabStrip = new QTabBar(this);
    m_tabStrip->setObjectName("WorkspaceTabs");
    m_tabStrip->setDocumentMode(true);
    m_tabStrip->setExpanding(false);
    m_tabStrip->setDrawBase(false);
    m_tabStrip->setFocusPolicy(Qt::TabFocus);
    for (int i = 0; i < m_tabs->count(); ++i) m_tabStrip->addTab(m_tabs->tabText(i));
    m_tabStrip->setCurrentIndex(m_tabs->currentIndex());
    m_tabs->tabBar()->hide();
    connect(m_tabStrip, &QTabBar::currentChanged, m_tabs, &QTabWidget::setCurrentIndex);
    connect(m_tabs, &QTabWidget::currentChanged, m_tabStrip, &QTabBar::setCurrentIndex);
    addToolBarBreak(Qt::TopToolBarArea);
    m_tabStripBar = addToolBar(tr("Workspaces"));
    m_tabStripBar->setObjectName("WorkspaceBar");
    m_tabStripBar->setMovable(false);
    m_tabStripBar->setFloatable(false);
    m_tabStripBar->toggleViewAction()->setVisible(false);
    m_tabStripBar->addWidget(m_tabStrip);
}

void MainWindow::createTrainingMenu() {
    QMenu* menu = menuBar()->addMenu(tr("&Training"));
    QAction* start = menu->addAction(tr("&Start"), this, &MainWindow::startTraining);
    start->setShortcut(Qt::Key_F5);
    // The panel's own actions keep their F5/F6 shortcuts for when the training tab has focus;
    // the menu's entries work from every tab.
    m_training->startAction()->setShortcut(QKeySequence());
    connect(m_training->startAction(), &QAction::changed, start,
            [this, start] { start->setEnabled(m_training->startAction()->isEnabled()); });
    menu->addAction(m_training->pauseAction());
    menu->addAction(m_training->stopAction());
    menu->addSeparator();
    menu->addAction(m_training->stepAction());
    menu->addAction(m_training->stepEpochAction());
    menu->addAction(m_training->resetAction());
    menu->addAction(m_training->rewindAction());
    menu->addSeparator();
    menu->addAction(tr("Show &Runs"), this, [this] { m_tabs->setCurrentWidget(m_runs); })->setObjectName("showRuns");
    menu->addAction(tr("&Try a Saved Model..."), this, [this] { m_tabs->setCurrentWidget(m_tryIt); })
        ->setObjectName("trySavedModel");
    QToolBar* bar = findChild<QToolBar*>("MainToolBar");
    if (bar) {
        bar->addSeparator();
        bar->addActions({start, m_training->pauseAction(), m_training->stopAction()});
    }
}

// The Experiments tab builds on the open project as the next run trains it, records in the
// Runs tab's store, and shows a trial's runs there.
void MainWindow::connectExperiments() {
    m_experiments->setProjectSource([this]() -> std::optional<ProjectSnapshot> {
        return ProjectSnapshot{io::parseJson(projectToJson(runDocument()), "the open project"), m_files->path()};
    });
    connect(m_experiments, &ExperimentsPanel::runsChanged, m_runs, &RunsPanel::reload);
    connect(m_experiments, &ExperimentsPanel::runRequested, this, [this](qint64 runId) {
        m_tabs->setCurrentWidget(m_runs);
        m_runs->reload();
        m_runs->selectRuns({runId});
    });
}

bool MainWindow::tryModel(const QString& path) {
    m_tabs->setCurrentWidget(m_tryIt);
    return m_tryIt->loadModel(path);
}

void MainWindow::startTraining() {
    m_tabs->setCurrentWidget(m_training->parentWidget());
    m_training->startTraining();
}

void MainWindow::createHelpMenu() {
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* guide = help->addAction(tr("&User Guide"), this, &MainWindow::showUserGuide);
    guide->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&Welcome"), this, &MainWindow::showWelcome);
    help->addSeparator();
    QAction* about = help->addAction(tr("&About Neurite"), this, [this] {
        AboutDialog dialog(buildInfo(), this);
        dialog.exec();
    });
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::connectWelcome() {
    m_welcome->setTemplateMenu(m_templateMenu);
    m_welcome->setRecentFiles(m_files->recentFiles());
    m_welcome->loadExamples(QString::fromStdString(examplesDir().string()));
    // Examples open as an untitled copy: saving asks where, so the bundled file stays as shipped.
    connect(m_welcome, &WelcomePage::openRequested, this, [this](const QString& path, bool train) {
        const QList<ExampleInfo>& examples = m_welcome->examples();
        const auto it = std::find_if(examples.begin(), examples.end(), [&](const ExampleInfo& e) { return e.path == path; });
        bool ok = false;
        if (it != examples.end()) {
            ok = m_files->newProject(it->document);
            if (ok) statusBar()->showMessage(tr("Opened the example %1 as a new project").arg(it->title), 8000);
        } else {
            ok = openProject(path);
        }
        if (!ok) return;
        if (train)
            startTraining();
        else
            m_tabs->setCurrentWidget(m_designer);
    });
    connect(m_welcome, &WelcomePage::newProjectRequested, this, &MainWindow::newProject);
    connect(m_welcome, &WelcomePage::openFileRequested, this, [this] {
        if (m_files->open(QString())) m_tabs->setCurrentWidget(m_designer);
    });
    connect(m_welcome, &WelcomePage::showRunsRequested, this, [this] { m_tabs->setCurrentWidget(m_runs); });
    connect(m_files, &ProjectFiles::recentFilesChanged, m_welcome,
            [this] { m_welcome->setRecentFiles(m_files->recentFiles()); });
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::tabChanged);
}

// The designer's docks (palette, inspector, problems) edit the graph: on the tabs that are not
// about the graph (Start, Training, Runs, Experiments, Try it) they step aside and give the room back, and
// they come back as they were on the Designer, Summary and JSON tabs.
void MainWindow::tabChanged() {
    QWidget* tab = m_tabs->currentWidget();
    updateTitle();
    if (tab == m_welcome) m_welcome->setRecentFiles(m_files->recentFiles());  // a file may have gone
    if (tab == m_welcome || tab == m_training->parentWidget() || tab == m_runs || tab == m_experiments ||
        tab == m_tryIt) {
        for (QDockWidget* d : findChildren<QDockWidget*>())
            if (d->isVisible() && d != m_lesson->stepsDock()) {  // the lesson's steps stay beside every tab
                m_docksHiddenByStart.append(d);
                d->hide();
            }
        return;
    }
    for (QDockWidget* d : m_docksHiddenByStart)
        if (d->toggleViewAction()->isVisible()) d->show();  // not one a lesson hides
    m_docksHiddenByStart.clear();
}

// Modeless: the guide stays open beside the studio while the user follows it.
void MainWindow::showUserGuide() {
    if (!m_guide) m_guide = new UserGuideDialog(this);
    m_guide->show();
    m_guide->raise();
    m_guide->activateWindow();
}

void MainWindow::showWelcome() {
    m_tabs->setCurrentWidget(m_welcome);
    statusBar()->clearMessage();  // the designer's hint is about the project behind the page
    m_welcome->setFocus();
}

// A new project trains as it is: two-dimensional data that trains in seconds and shows its
// decision map, and an output layer sized to it ("auto"). Hidden layers come from the palette;
// the data from the Training tab's Data settings.
void MainWindow::newProject() {
    ProjectDocument doc;
    doc.data.source = kNewProjectData;
    Node input = makeNode("input", "Input");
    Node output = makeNode("output", "Dense", {"input"});
    output.y = edits::kRowStep;
    doc.nodes = {input, output};
    doc.output = "output";
    if (!m_files->newProject(doc)) return;
    m_tabs->setCurrentWidget(m_designer);
    statusBar()->showMessage(tr("New project on a 2-D spiral: add hidden layers from the palette, or "
                                "choose your data under Training > Data"), 12000);
}

ProjectDocument MainWindow::runDocument() const {
    ProjectDocument doc = m_model->document();
    m_prefs.applyTo(doc);
    return doc;
}

void MainWindow::showPreferences() {
    QString why;
    const QString defaultDb = Preferences::defaultRunDatabase(&why);
    PreferencesDialog dialog(m_prefs, listDevices(), defaultDb.isEmpty() ? why : defaultDb,
                             [this](const Preferences& p, QString* error) { return applyPreferences(p, error); },
                             this);
    dialog.setDatabaseInUse(m_runs->storePath());
    dialog.exec();
}

bool MainWindow::applyPreferences(const Preferences& prefs, QString* error) {
    if (prefs.runDatabase != m_prefs.runDatabase) {
        QString why;
        const QString path = prefs.runDatabaseOrDefault(&why);
        // Try the new store first: one that cannot be opened leaves the open one in place.
        try {
            if (path.isEmpty()) throw std::runtime_error(why.toStdString());
            storage::RunStore probe(path.toStdString());
        } catch (const std::exception& e) {
            if (error) *error = tr("cannot open the run database %1: %2").arg(path, QString::fromUtf8(e.what()));
            return false;
        }
        openRunStore(path);
    }
    if (prefs.theme != m_prefs.theme) applyTheme(prefs.theme);
    m_prefs = prefs;
    m_prefs.save();
    return true;
}

bool MainWindow::openRunStore(const QString& path) {
    QString error = tr("no data directory for the run store ($XDG_DATA_HOME or $HOME); start with --db FILE");
    const bool ok = !path.isEmpty() && m_runs->openStore(path, &error);
    m_training->controller().setStorePath(ok ? path : QString());
    m_experiments->setStorePath(ok ? path : QString());
    if (!ok) statusBar()->showMessage(tr("Runs are not recorded: %1").arg(error), 15000);
    m_welcome->setRunStore(path, ok ? QString() : error);
    return ok;
}

void MainWindow::fillRecentMenu() {
    m_recent->clear();
    const QStringList files = m_files->recentFiles();
    for (const QString& path : files)
        m_recent->addAction(QFileInfo(path).fileName(), this, [this, path] { openProject(path); })
            ->setStatusTip(path);
    m_recent->setEnabled(!files.isEmpty());
}

void MainWindow::updateTitle() {
    // The Start page is about no project: the title and status bar do not describe the one
    // waiting behind it.
    const bool start = m_tabs->currentWidget() == m_welcome;
    if (m_modelStatus) m_modelStatus->setVisible(!start);  // null only while the window is built
    if (start) {
        setWindowTitle(tr("Neurite"));
        setWindowModified(false);
        return;
    }
    const QString where = m_files->path().isEmpty() ? QString() : " — " + m_files->path();
    setWindowTitle(tr("%1%2[*] - Neurite").arg(m_files->displayName(), where));
    setWindowModified(m_files->isModified());
}

void MainWindow::probeData() {
    m_problems->setNote(tr("Loading the data to bind \"auto\" sizes..."));
    m_probe->probe(m_model->document());
}

bool MainWindow::openProject(const QString& path) {
    return m_files->open(path);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!m_files->maybeSave()) {
        event->ignore();
        return;
    }
    m_files->discardAutosave();
    for (QWidget* d : m_docksHiddenByStart) d->show();  // saved as the user arranged them
    m_docksHiddenByStart.clear();
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    event->accept();
}

}  // namespace neurite
