// The Start tab: example cards in a grid on the left, projects and runs on the right.
#include "welcome_page.h"

#include <QEvent>
#include <QFileInfo>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QStyle>
#include <QScrollArea>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <memory>

namespace neurite {

namespace {

constexpr int kMaxColumns = 3;
const QSize kThumb(150, 64);

QLabel* heading(const QString& text, QWidget* parent, int delta = 3) {
    auto* l = new QLabel(text, parent);
    QFont f = l->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() + delta);
    l->setFont(f);
    return l;
}

// The first sentence (up to ". "), for a card; the whole text goes to the tooltip.
QString firstSentence(const QString& text) {
    const qsizetype end = text.indexOf(QRegularExpression("\\.(\\s|$)"));
    return end < 0 ? text : text.left(end + 1);
}

}  // namespace

WelcomePage::WelcomePage(QWidget* parent) : QWidget(parent) {
    setObjectName("WelcomePage");
    auto* gallery = new QWidget(this);
    auto* galleryLayout = new QVBoxLayout(gallery);
    galleryLayout->addWidget(heading(tr("Welcome to Neurite %1").arg(NEURITE_VERSION), gallery, 6));
    auto* intro = new QLabel(tr("Open an example to see a model learn, or start your own project. "
                                "\"Open and train\" opens the project and starts training at once."),
                             gallery);
    intro->setWordWrap(true);
    galleryLayout->addWidget(intro);
    galleryLayout->addSpacing(8);
    galleryLayout->addWidget(heading(tr("Examples"), gallery));
    m_examplesNote = new QLabel(gallery);
    m_examplesNote->setWordWrap(true);
    m_examplesNote->hide();
    galleryLayout->addWidget(m_examplesNote);
    m_grid = new QGridLayout;
    m_grid->setSpacing(12);
    galleryLayout->addLayout(m_grid);
    galleryLayout->addStretch(1);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(gallery);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    // Cards wrap their text and flow into as many columns as fit; the page scrolls down.
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->viewport()->installEventFilter(this);

    auto* side = new QWidget(this);
    side->setMaximumWidth(380);
    side->setMinimumWidth(300);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->addWidget(heading(tr("Start"), side));
    auto* newButton = new QPushButton(style()->standardIcon(QStyle::SP_FileIcon), tr("&New project"), side);
    auto* openButton = new QPushButton(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open..."), side);
    m_templates = new QPushButton(tr("New from te&mplate"), side);
    m_templates->setEnabled(false);
    for (QPushButton* b : {newButton, openButton, m_templates}) sideLayout->addWidget(b);
    connect(newButton, &QPushButton::clicked, this, &WelcomePage::newProjectRequested);
    connect(openButton, &QPushButton::clicked, this, &WelcomePage::openFileRequested);
    sideLayout->addSpacing(12);
    auto* recentTitle = heading(tr("&Recent projects"), side);
    sideLayout->addWidget(recentTitle);
    m_recent = new QListWidget(side);
    m_recent->setObjectName("RecentProjects");
    m_recent->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_recent->setTextElideMode(Qt::ElideMiddle);
    m_recent->setSpacing(2);
    recentTitle->setBuddy(m_recent);
    sideLayout->addWidget(m_recent, 1);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        if (item->data(Qt::UserRole + 1).toBool()) emit openRequested(item->data(Qt::UserRole).toString(), false);
    });
    sideLayout->addSpacing(12);
    sideLayout->addWidget(heading(tr("Runs"), side));
    m_runStore = new QLabel(side);
    m_runStore->setWordWrap(true);
    m_runStore->setTextInteractionFlags(Qt::TextSelectableByMouse);
    sideLayout->addWidget(m_runStore);
    auto* runsButton = new QPushButton(tr("Show r&uns"), side);
    connect(runsButton, &QPushButton::clicked, this, &WelcomePage::showRunsRequested);
    sideLayout->addWidget(runsButton);

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(side);
}

WelcomePage::~WelcomePage() {
    if (m_cancel) m_cancel->store(true);
    if (m_worker) m_worker->wait();
}

void WelcomePage::loadExamples(const QString& dir) {
    if (m_cancel) m_cancel->store(true);
    if (m_worker) m_worker->wait();
    while (QLayoutItem* item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_examples = scanExamples(dir);
    m_sizeLabels.clear();
    m_thumbnails.clear();
    m_sizes.clear();
    m_examplesNote->setVisible(m_examples.isEmpty());
    m_examplesNote->setText(dir.isEmpty()
                                ? tr("No examples folder was found. Set NEURITE_EXAMPLES_DIR to the folder "
                                     "holding the example projects (*.neurite.json).")
                                : tr("No example projects (*.neurite.json) in %1.").arg(dir));
    m_cards.clear();
    for (int i = 0; i < m_examples.size(); ++i) m_cards.append(makeCard(i));
    m_columns = 0;
    flowCards();
    m_counted = false;
    if (isVisible()) countSizes();
}

// As many columns (up to kMaxColumns) as the view has room for at the cards' minimum width.
void WelcomePage::flowCards() {
    if (m_cards.isEmpty()) return;
    int cardWidth = 0;
    for (const QWidget* card : std::as_const(m_cards)) cardWidth = std::max(cardWidth, card->minimumSizeHint().width());
    const QMargins margins = m_scroll->widget()->layout()->contentsMargins();
    const int room = m_scroll->viewport()->width() - margins.left() - margins.right();
    const int spacing = m_grid->horizontalSpacing();
    const int columns = std::clamp((room + spacing) / std::max(1, cardWidth + spacing), 1, kMaxColumns);
    if (columns == m_columns) return;
    m_columns = columns;
    for (QWidget* card : std::as_const(m_cards)) m_grid->removeWidget(card);
    for (int i = 0; i < m_cards.size(); ++i) m_grid->addWidget(m_cards[i], i / columns, i % columns);
}

bool WelcomePage::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_scroll->viewport() && event->type() == QEvent::Resize) flowCards();
    return QWidget::eventFilter(watched, event);
}

int WelcomePage::columnCount() const { return m_columns; }

void WelcomePage::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange) return;
    for (int i = 0; i < m_thumbnails.size() && i < m_examples.size(); ++i)
        m_thumbnails[i]->setPixmap(graphThumbnail(m_examples[i].document, kThumb, palette()));
}

void WelcomePage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!m_counted) countSizes();
}

QWidget* WelcomePage::makeCard(int index) {
    const ExampleInfo& e = m_examples[index];
    auto* card = new QFrame(this);
    card->setObjectName("ExampleCard");
    card->setFrameShape(QFrame::StyledPanel);
    card->setToolTip(e.error.isEmpty() ? e.description : e.error);
    auto* layout = new QVBoxLayout(card);
    auto* top = new QHBoxLayout;
    auto* thumb = new QLabel(card);
    thumb->setPixmap(graphThumbnail(e.document, kThumb, palette()));
    thumb->setFixedSize(kThumb);
    thumb->setFrameShape(QFrame::Box);
    thumb->setObjectName("ExampleThumbnail");
    thumb->setToolTip(tr("The model's layer graph (colours: layer categories, as in the designer)"));
    top->addWidget(thumb);
    m_thumbnails.append(thumb);
    auto* titles = new QVBoxLayout;
    titles->addWidget(heading(e.title, card, 1));
    // "synthetic:spiral?samples=1500&..." shows as "synthetic:spiral"; the tooltip has it all.
    auto* source = new QLabel(e.error.isEmpty() ? tr("Data: %1").arg(e.source.section('?', 0, 0)) : tr("Cannot be read"), card);
    source->setToolTip(e.source);
    source->setWordWrap(true);
    titles->addWidget(source);
    auto* size = new QLabel(e.error.isEmpty() ? tr("%1; counting parameters...").arg(layerCount(e.layers))
                                              : QString(),
                            card);
    size->setWordWrap(true);
    size->setObjectName("ExampleSize");
    titles->addWidget(size);
    titles->addStretch(1);
    top->addLayout(titles, 1);
    layout->addLayout(top);
    auto* text = new QLabel(e.error.isEmpty() ? firstSentence(e.description) : e.error, card);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    text->setMinimumHeight(text->fontMetrics().lineSpacing() * 3);
    layout->addWidget(text, 1);
    auto* buttons = new QHBoxLayout;
    auto* open = new QPushButton(tr("Open"), card);
    auto* train = new QPushButton(tr("Open and train"), card);
    open->setAccessibleName(tr("Open %1").arg(e.title));
    train->setAccessibleName(tr("Open and train %1").arg(e.title));
    open->setEnabled(e.error.isEmpty());
    train->setEnabled(e.error.isEmpty());
    buttons->addStretch(1);
    buttons->addWidget(open);
    buttons->addWidget(train);
    layout->addLayout(buttons);
    connect(open, &QPushButton::clicked, this, [this, p = e.path] { emit openRequested(p, false); });
    connect(train, &QPushButton::clicked, this, [this, p = e.path] { emit openRequested(p, true); });
    m_sizeLabels.append(size);
    m_sizes.append(size->text());
    return card;
}

void WelcomePage::countSizes() {
    if (m_counted) return;
    m_counted = true;
    QList<ProjectDocument> docs;  // copies: the worker never touches m_examples
    QList<bool> readable;
    for (const ExampleInfo& e : m_examples) {
        docs.append(e.document);
        readable.append(e.error.isEmpty());
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    const int generation = ++m_generation;
    m_worker = QThread::create([this, docs, readable, cancel, generation] {
        for (int i = 0; i < docs.size() && !cancel->load(); ++i) {
            if (!readable[i]) continue;
            const QString text = modelSize(docs[i]);
            QMetaObject::invokeMethod(this, [this, i, text, generation] {
                if (generation != m_generation || i >= m_sizeLabels.size()) return;
                m_sizes[i] = text;
                m_sizeLabels[i]->setText(text);
            }, Qt::QueuedConnection);
        }
    });
    connect(m_worker, &QThread::finished, this, [this, worker = m_worker] {
        worker->deleteLater();
        if (m_worker != worker) return;
        m_worker = nullptr;
        emit sizesCounted();
    });
    m_worker->start(QThread::LowPriority);
}

QString WelcomePage::sizeText(int index) const { return index >= 0 && index < m_sizes.size() ? m_sizes[index] : QString(); }

void WelcomePage::setRecentFiles(const QStringList& files) {
    m_recent->clear();
    for (const QString& path : files) {
        const QFileInfo info(path);
        QString problem;
        if (!info.exists())
            problem = tr("the file no longer exists");
        else if (!info.isReadable())
            problem = tr("the file cannot be read (permissions)");
        // Two lines: the file, then its folder (or why it cannot be opened).
        auto* item = new QListWidgetItem(info.fileName() + "\n" + (problem.isEmpty() ? info.absolutePath() : problem),
                                         m_recent);
        item->setData(Qt::UserRole, path);
        item->setData(Qt::UserRole + 1, problem.isEmpty());
        item->setToolTip(problem.isEmpty() ? path : tr("%1: %2").arg(path, problem));
        if (!problem.isEmpty()) item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
    }
    if (files.isEmpty()) {
        auto* item = new QListWidgetItem(tr("No recent projects yet"), m_recent);
        item->setFlags(Qt::NoItemFlags);
    }
}

void WelcomePage::setRunStore(const QString& path, const QString& problem) {
    m_runStore->setText(problem.isEmpty() ? tr("Runs are stored in %1").arg(path)
                                          : tr("Runs are not recorded: %1").arg(problem));
}

QString WelcomePage::runStoreText() const { return m_runStore->text(); }

void WelcomePage::setTemplateMenu(QMenu* menu) {
    m_templates->setMenu(menu);
    m_templates->setEnabled(menu != nullptr);
}

}  // namespace neurite
